"""Customers' messages: the signed incoming webhook with Twilio's fields, the deliveries
log, photos served back by the simulator, and TwiML replies."""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx
from twilio.rest import Client

from bot.twilio_sim import SimHandle
from tests.twilio_sim.support import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    CUSTOMER,
    SMS_FROM,
    WHATSAPP_FROM,
    Receiver,
    final_status,
    wait_until,
)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
INBOUND = "/twilio/inbound"


def test_sms_webhook_is_signed_and_complete(sim: SimHandle, receiver: Receiver) -> None:
    result = sim.send(CUSTOMER, "My serial is AB12345")
    hit = receiver.wait_for(INBOUND)[0]
    assert hit.url == receiver.url(INBOUND)
    assert hit.signed_with(AUTH_TOKEN)
    assert not hit.signed_with("wrong-token")
    assert hit.headers["content-type"].startswith("application/x-www-form-urlencoded")
    sid = result["message"]["sid"]
    assert hit.form["MessageSid"] == hit.form["SmsSid"] == hit.form["SmsMessageSid"] == sid
    expected = {
        "AccountSid": ACCOUNT_SID,
        "From": CUSTOMER,
        "To": SMS_FROM,
        "Body": "My serial is AB12345",
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
        "FromCountry": "IN",
        "ToCountry": "US",
    }
    assert {k: hit.form[k] for k in expected} == expected
    assert "MessagingServiceSid" not in hit.form and "ProfileName" not in hit.form and "WaId" not in hit.form
    assert result["message"]["direction"] == "inbound" and result["message"]["status"] == "received"


def test_whatsapp_webhook_has_profile_name_and_wa_id(sim: SimHandle, receiver: Receiver) -> None:
    sim.register_phone(CUSTOMER, "Asha Rao")
    sim.send(CUSTOMER, "Hi there", channel="whatsapp")
    form = receiver.wait_for(INBOUND)[0].form
    assert (form["From"], form["To"]) == ("whatsapp:" + CUSTOMER, WHATSAPP_FROM)
    assert (form["ProfileName"], form["WaId"]) == ("Asha Rao", CUSTOMER.lstrip("+"))
    assert receiver.at(INBOUND)[0].signed_with(AUTH_TOKEN)


def test_messaging_service_sid_is_sent_when_configured(make_sim: Callable[..., SimHandle], receiver: Receiver) -> None:
    service = "MG" + "4" * 32
    sim = make_sim(messaging_service_sid=service)
    sim.send(CUSTOMER, "hello")
    assert receiver.wait_for(INBOUND)[0].form["MessagingServiceSid"] == service


def test_delivery_log_records_status_and_latency(sim: SimHandle, receiver: Receiver) -> None:
    receiver.reply(INBOUND, status=200, delay=0.15)
    result = sim.send(CUSTOMER, "hello")
    webhook = result["webhook"]
    assert (webhook["status_code"], webhook["ok"], webhook["kind"]) == (200, True, "incoming")
    assert webhook["latency_ms"] >= 150
    assert webhook["params"]["Body"] == "hello" and webhook["url"] == receiver.url(INBOUND)
    assert sim.webhooks() == [webhook]


def test_app_errors_are_recorded_not_retried(sim: SimHandle, receiver: Receiver) -> None:
    receiver.reply(INBOUND, status=503, body="down")
    webhook = sim.send(CUSTOMER, "hello")["webhook"]
    assert (webhook["status_code"], webhook["ok"], webhook["error"]) == (503, False, "HTTP 503")
    assert webhook["response_excerpt"] == "down"
    assert len(receiver.at(INBOUND)) == 1
    assert len(sim.webhooks()) == 1


def test_unreachable_app_is_recorded(make_sim: Callable[..., SimHandle]) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    sim = make_sim(inbound_url=f"http://127.0.0.1:{port}/twilio/inbound")
    webhook = sim.send(CUSTOMER, "hello")["webhook"]
    assert webhook["status_code"] is None and webhook["ok"] is False and "ConnectError" in webhook["error"]


def test_without_wait_the_webhook_is_posted_in_the_background(sim: SimHandle, receiver: Receiver) -> None:
    result = sim.send(CUSTOMER, "hello", wait=False)
    assert result["webhook"] is None
    assert receiver.wait_for(INBOUND)[0].form["MessageSid"] == result["message"]["sid"]
    wait_until(lambda: sim.webhooks() and sim.webhooks()[0]["done"])


def test_photo_round_trip(sim: SimHandle, receiver: Receiver) -> None:
    result = sim.send(CUSTOMER, "the label", channel="whatsapp", photo=("label.png", PNG, "image/png"))
    form = receiver.wait_for(INBOUND)[0].form
    sid = result["message"]["sid"]
    assert sid.startswith("MM")
    assert (form["NumMedia"], form["MediaContentType0"], form["MessageType"]) == ("1", "image/png", "image")
    prefix = f"{sim.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}/Media/ME"
    assert form["MediaUrl0"].startswith(prefix) and len(form["MediaUrl0"]) == len(prefix) + 32
    assert httpx.get(form["MediaUrl0"], trust_env=False).status_code == 401  # as Twilio with HTTP auth on media
    response = httpx.get(form["MediaUrl0"], auth=(ACCOUNT_SID, AUTH_TOKEN), trust_env=False)
    assert response.status_code == 200
    assert response.content == PNG and response.headers["content-type"] == "image/png"


def test_photo_without_text_over_sms(sim: SimHandle, receiver: Receiver) -> None:
    sim.send(CUSTOMER, "", photo=("p.jpg", b"\xff\xd8\xff" + b"0" * 100, "image/jpeg"))
    form = receiver.wait_for(INBOUND)[0].form
    assert (form["Body"], form["NumMedia"], form["MediaContentType0"]) == ("", "1", "image/jpeg")
    assert "/Media/ME" in form["MediaUrl0"] and "/sim/" not in form["MediaUrl0"]


def test_the_phones_page_link_serves_non_images_as_downloads(sim: SimHandle) -> None:
    result = sim.send(CUSTOMER, "x", photo=("evil.html", b"<script>alert(1)</script>", "text/html"))
    url = sim.base_url + result["message"]["sim"]["media"][0]["page_url"]
    response = httpx.get(url, trust_env=False)
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"] == "attachment"
    assert httpx.get(sim.base_url + "/sim/media/ME" + "0" * 32, trust_env=False).status_code == 404


def test_inbound_messages_are_listed_by_the_rest_api(sim: SimHandle, client: Client) -> None:
    sid = sim.send(CUSTOMER, "hello")["message"]["sid"]
    listed = client.messages.list(from_=CUSTOMER)
    assert [(m.sid, m.direction, m.status, m.to) for m in listed] == [(sid, "inbound", "received", SMS_FROM)]


def test_twiml_message_reply_is_sent_to_the_customer(sim: SimHandle, client: Client, receiver: Receiver) -> None:
    twiml = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks, got it.</Message></Response>'
    receiver.reply(INBOUND, body=twiml, content_type="text/xml")
    sim.send(CUSTOMER, "hello")
    reply = wait_until(lambda: [m for m in sim.messages() if m["direction"] == "outbound-reply"])[0]
    assert (reply["from"], reply["to"], reply["body"]) == (SMS_FROM, CUSTOMER, "Thanks, got it.")
    assert final_status(client, reply["sid"]).status == "delivered"


def test_send_api_rejects_bad_input(sim: SimHandle) -> None:
    assert sim.api("POST", "/sim/api/send", json={"from": "12", "body": "x"}).status_code == 400
    assert sim.api("POST", "/sim/api/send", json={"from": CUSTOMER, "body": "x", "channel": "fax"}).status_code == 400
    assert sim.api("POST", "/sim/api/send", json={"from": CUSTOMER, "body": "  "}).status_code == 400
    assert (
        sim.api("POST", "/sim/api/send", content=b"[1]", headers={"content-type": "application/json"}).status_code
        == 400
    )


def test_send_api_takes_json(sim: SimHandle, receiver: Receiver) -> None:
    response = sim.api(
        "POST", "/sim/api/send", json={"from": CUSTOMER, "channel": "whatsapp", "body": "hi", "wait": True}
    )
    assert response.status_code == 201
    assert response.json()["webhook"]["status_code"] == 200
    assert receiver.at(INBOUND)[0].form["From"] == "whatsapp:" + CUSTOMER
