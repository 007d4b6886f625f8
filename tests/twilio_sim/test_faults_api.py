"""The /sim/api control surface: faults, the message and webhook logs, reset, clock, phones."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot.twilio_sim import SimHandle
from bot.twilio_sim.faults import Faults
from tests.twilio_sim.support import (
    CUSTOMER,
    OTHER_CUSTOMER,
    SMS_FROM,
    WHATSAPP_FROM,
    final_status,
)


def test_faults_are_set_merged_read_and_cleared(sim: SimHandle) -> None:
    assert sim.set_faults(latency_ms=5)["latency_ms"] == 5
    current = sim.set_faults(
        error_codes={CUSTOMER: 21614}, fail_delivery={OTHER_CUSTOMER: 30005}, fail_next=[{"status": 503, "count": 2}]
    )
    assert current == {
        "latency_ms": 5,
        "fail_next": [{"status": 503, "count": 2, "retry_after": 1}],
        "error_codes": {CUSTOMER: 21614},
        "fail_delivery": {OTHER_CUSTOMER: {"code": 30005, "status": "undelivered"}},
    }
    cleared = sim.api("DELETE", "/sim/api/faults").json()
    assert cleared == {"latency_ms": 0, "fail_next": [], "error_codes": {}, "fail_delivery": {}}


@pytest.mark.parametrize(
    "spec",
    [
        {"latency_ms": -1},
        {"fail_next": [{"status": 404}]},
        {"fail_next": {"status": 429}},
        {"error_codes": {CUSTOMER: "abc"}},
        {"fail_delivery": {CUSTOMER: {"code": 1, "status": "lost"}}},
        {"surprise": 1},
        [],
    ],
)
def test_malformed_faults_are_400_and_change_nothing(sim: SimHandle, spec: object) -> None:
    sim.set_faults(latency_ms=7)
    response = sim.api("POST", "/sim/api/faults", json=spec)
    assert response.status_code == 400 and response.json()["error"]
    assert sim.api("GET", "/sim/api/faults").json()["latency_ms"] == 7


def test_whatsapp_only_error_code(sim: SimHandle, client: Client) -> None:
    sim.send(CUSTOMER, "hi", channel="whatsapp")
    sim.set_faults(error_codes={"whatsapp:" + CUSTOMER: 63003})
    client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="sms still works")
    with pytest.raises(TwilioRestException) as info:
        client.messages.create(to="whatsapp:" + CUSTOMER, from_=WHATSAPP_FROM, body="x")
    assert info.value.code == 63003


def test_messages_log_is_newest_last_with_sim_details(sim: SimHandle, client: Client) -> None:
    sim.send(CUSTOMER, "first")
    sid = client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="second").sid
    final_status(client, sid)
    messages = sim.messages()
    assert [m["body"] for m in messages] == ["first", "second"]
    assert messages[1]["sim"]["channel"] == "sms" and messages[1]["sim"]["customer"] == CUSTOMER
    assert [h["status"] for h in messages[1]["sim"]["history"]] == ["queued", "sending", "sent", "delivered"]
    assert sim.messages(phone=OTHER_CUSTOMER) == []


def test_reset_forgets_everything(sim: SimHandle, client: Client) -> None:
    sim.register_phone(CUSTOMER, "Asha")
    sim.send(CUSTOMER, "STOP")
    sim.set_faults(latency_ms=1)
    sim.advance_clock(3600)
    sim.reset()
    assert sim.messages() == [] and sim.webhooks() == []
    assert sim.api("GET", "/sim/api/phones").json() == {"phones": []}
    assert sim.api("GET", "/sim/api/faults").json()["latency_ms"] == 0
    assert sim.api("GET", "/sim/api/clock").json()["offset_seconds"] == 0
    client.messages.create(to=CUSTOMER, from_=SMS_FROM, body="opt-out forgotten too")


def test_clock_only_moves_forward(sim: SimHandle) -> None:
    assert sim.api("POST", "/sim/api/clock", json={"advance_seconds": 90}).json()["offset_seconds"] == 90
    assert sim.api("POST", "/sim/api/clock", json={"advance_seconds": -1}).status_code == 400
    assert sim.api("POST", "/sim/api/clock", json={}).status_code == 400


def test_phones_registered_and_seen(sim: SimHandle, client: Client) -> None:
    assert sim.register_phone("+91 98765 43210", "Asha") == {"phone": CUSTOMER, "name": "Asha"}
    client.messages.create(to=OTHER_CUSTOMER, from_=SMS_FROM, body="hello")
    phones = sim.api("GET", "/sim/api/phones").json()["phones"]
    assert [(p["phone"], p["name"]) for p in phones] == [(OTHER_CUSTOMER, ""), (CUSTOMER, "Asha")]
    assert sim.api("POST", "/sim/api/phones", json={"phone": "hello"}).status_code == 400


def test_webhook_log_filters(sim: SimHandle) -> None:
    for body in ("a", "b", "c"):
        sim.send(CUSTOMER, body)
    assert [
        w["params"]["Body"] for w in sim.api("GET", "/sim/api/webhooks", params={"limit": 2}).json()["webhooks"]
    ] == ["b", "c"]
    assert sim.webhooks("status") == []


def test_config_hides_the_auth_token(sim: SimHandle) -> None:
    config = sim.api("GET", "/sim/api/config").json()
    assert config["sms_number"] == SMS_FROM and config["whatsapp_number"] == WHATSAPP_FROM
    assert "auth_token" not in config and sim.config.auth_token not in str(config)


def test_fail_next_is_consumed_in_order() -> None:
    faults = Faults()
    faults.apply({"fail_next": [{"status": 429, "count": 2, "retry_after": 5}, {"status": 500}]})
    taken = [faults.take_failure() for _ in range(4)]
    assert [(t.status, t.retry_after) if t else None for t in taken] == [(429, 5), (429, 5), (500, 1), None]
