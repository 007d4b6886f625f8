"""Status callbacks: one signed POST per status change, in order, with Twilio's fields."""

from __future__ import annotations

from collections.abc import Callable

from twilio.rest import Client

from bot.twilio_sim import SimHandle
from tests.twilio_sim.support import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    CUSTOMER,
    OTHER_CUSTOMER,
    SMS_FROM,
    WHATSAPP_FROM,
    Receiver,
    final_status,
    wait_until,
)

MG = "MG" + "3" * 32


def statuses(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.form["MessageStatus"] for h in hits]


def test_sms_callbacks_sending_sent_delivered_signed(client: Client, receiver: Receiver) -> None:
    url = receiver.url("/twilio/status") + "?attempt=1"
    sid = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="Hi", status_callback=url).sid
    hits = receiver.wait_for("/twilio/status", 3)
    assert statuses(hits) == ["sending", "sent", "delivered"]
    for hit in hits:
        assert hit.url == url
        assert hit.signed_with(AUTH_TOKEN)
        assert not hit.signed_with("another-token")
        assert hit.headers["content-type"].startswith("application/x-www-form-urlencoded")
        form = hit.form
        assert (form["MessageSid"], form["SmsSid"], form["AccountSid"]) == (sid, sid, ACCOUNT_SID)
        assert form["SmsStatus"] == form["MessageStatus"]
        assert (form["From"], form["To"], form["ApiVersion"]) == (SMS_FROM, CUSTOMER, "2010-04-01")
        assert "ErrorCode" not in form and "MessagingServiceSid" not in form
    assert "RawDlrDoneDate" in hits[-1].form


def test_whatsapp_callbacks_end_with_read(sim: SimHandle, client: Client, receiver: Receiver) -> None:
    sim.send(CUSTOMER, "hello", channel="whatsapp")
    sid = client.messages.create(
        to="whatsapp:" + CUSTOMER, from_=WHATSAPP_FROM, body="Hi", status_callback=receiver.url("/wa-status")
    ).sid
    hits = receiver.wait_for("/wa-status", 4)
    assert statuses(hits) == ["sending", "sent", "delivered", "read"]
    assert all(h.signed_with(AUTH_TOKEN) for h in hits)
    last = hits[-1].form
    assert (last["MessageSid"], last["To"], last["From"]) == (sid, "whatsapp:" + CUSTOMER, WHATSAPP_FROM)
    assert (last["ChannelToAddress"], last["ChannelPrefix"], last["EventType"]) == (CUSTOMER, "whatsapp", "READ")
    assert client.messages(sid).fetch().status == "read"


def test_messaging_service_goes_accepted_queued_then_on(client: Client, receiver: Receiver) -> None:
    client.messages.create(to=CUSTOMER, messaging_service_sid=MG, body="Hi", status_callback=receiver.url("/mg-status"))
    hits = receiver.wait_for("/mg-status", 4)
    assert statuses(hits) == ["queued", "sending", "sent", "delivered"]
    assert all(h.form["MessagingServiceSid"] == MG and h.form["From"] == SMS_FROM for h in hits)


def test_delivery_failure_is_undelivered_with_error_code(sim: SimHandle, client: Client, receiver: Receiver) -> None:
    sim.set_faults(fail_delivery={CUSTOMER: 30003})
    sid = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="Hi", status_callback=receiver.url("/status")).sid
    hits = receiver.wait_for("/status", 3)
    assert statuses(hits) == ["sending", "sent", "undelivered"]
    assert hits[-1].form["ErrorCode"] == "30003"
    message = client.messages(sid).fetch()
    assert (message.status, message.error_code, message.error_message) == (
        "undelivered",
        30003,
        "Unreachable destination handset",
    )


def test_delivery_failure_can_be_failed(sim: SimHandle, client: Client, receiver: Receiver) -> None:
    sim.set_faults(fail_delivery={CUSTOMER: {"code": 30007, "status": "failed"}, OTHER_CUSTOMER: 63003})
    client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="Hi", status_callback=receiver.url("/a"))
    client.messages.create(to=OTHER_CUSTOMER, from_=SMS_FROM, body="Hi", status_callback=receiver.url("/b"))
    first, second = receiver.wait_for("/a", 2), receiver.wait_for("/b", 2)
    assert statuses(first) == ["sending", "failed"] and first[-1].form["ErrorCode"] == "30007"
    assert statuses(second) == ["sending", "failed"] and second[-1].form["ErrorCode"] == "63003"


def test_failing_callback_endpoint_is_logged_and_not_retried(
    sim: SimHandle, client: Client, receiver: Receiver
) -> None:
    receiver.reply("/broken", status=500)
    sid = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="Hi", status_callback=receiver.url("/broken")).sid
    final_status(client, sid)
    log = wait_until(lambda: len(w := sim.webhooks("status")) == 3 and all(x["done"] for x in w) and w)
    assert [w["status_code"] for w in log] == [500, 500, 500]
    assert all(w["error"] == "HTTP 500" and w["latency_ms"] >= 0 and w["message_sid"] == sid for w in log)
    assert len(receiver.at("/broken")) == 3


def test_no_callback_without_status_callback(sim: SimHandle, client: Client) -> None:
    sid = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="Hi").sid
    final_status(client, sid)
    assert sim.webhooks("status") == []


def test_default_status_callback_from_config(make_sim: Callable[..., SimHandle], receiver: Receiver) -> None:
    sim = make_sim(default_status_callback=receiver.url("/default-status"))
    sim.twilio_client().messages.create(to=CUSTOMER, from_=SMS_FROM, body="Hi")
    assert statuses(receiver.wait_for("/default-status", 3)) == ["sending", "sent", "delivered"]
