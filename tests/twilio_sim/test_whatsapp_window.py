"""WhatsApp's 24-hour customer-service window: free-form only within 24 h of the customer's
last message to that sender; approved templates (ContentSid) at any time."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot.twilio_sim import SimHandle
from tests.twilio_sim.support import (
    CUSTOMER,
    OTHER_CUSTOMER,
    WHATSAPP_FROM,
    Receiver,
    final_status,
)

WA = "whatsapp:" + CUSTOMER
TEMPLATE = "HX" + "b" * 32
HOURS = 3600


def free_form(client: Client, to: str = WA) -> str:
    return client.messages.create(to=to, from_=WHATSAPP_FROM, body="Free-form reply").sid


def test_free_form_without_any_inbound_is_63016(client: Client) -> None:
    with pytest.raises(TwilioRestException) as info:
        free_form(client)
    assert (info.value.status, info.value.code) == (400, 63016)


def test_free_form_within_24_hours_of_the_customers_message(sim: SimHandle, client: Client) -> None:
    sim.send(CUSTOMER, "hello", channel="whatsapp")
    assert final_status(client, free_form(client)).status in ("delivered", "read")
    sim.advance_clock(23 * HOURS)
    free_form(client)
    sim.advance_clock(1 * HOURS + 1)
    with pytest.raises(TwilioRestException) as info:
        free_form(client)
    assert info.value.code == 63016


def test_window_is_per_customer_and_per_channel(sim: SimHandle, client: Client) -> None:
    sim.send(CUSTOMER, "hello over SMS")  # SMS does not open the WhatsApp window
    with pytest.raises(TwilioRestException):
        free_form(client)
    sim.send(OTHER_CUSTOMER, "hello", channel="whatsapp")
    with pytest.raises(TwilioRestException):
        free_form(client)
    free_form(client, "whatsapp:" + OTHER_CUSTOMER)


def test_templates_are_allowed_outside_the_window(sim: SimHandle, client: Client) -> None:
    sim.api("POST", "/sim/api/templates", json={"sid": TEMPLATE, "body": "Hello {{1}}, your {{2}} is recalled."})
    message = client.messages.create(
        to=WA, from_=WHATSAPP_FROM, content_sid=TEMPLATE, content_variables=json.dumps({"1": "Asha", "2": "heater"})
    )
    assert message.body == "Hello Asha, your heater is recalled."
    assert final_status(client, message.sid).status in ("delivered", "read")


def test_unknown_template_shows_its_sid_and_variables(client: Client) -> None:
    message = client.messages.create(
        to=WA, from_=WHATSAPP_FROM, content_sid=TEMPLATE, content_variables=json.dumps({"1": "Asha"})
    )
    assert message.body == f"[template {TEMPLATE}] 1=Asha"


def test_templates_from_config(make_sim: Callable[..., SimHandle]) -> None:
    sim = make_sim(templates={TEMPLATE: "Hi {{name}}"})
    message = sim.twilio_client().messages.create(
        to=WA, from_=WHATSAPP_FROM, content_sid=TEMPLATE, content_variables='{"name": "Ravi"}'
    )
    assert message.body == "Hi Ravi"


def test_fail_mode_accepts_then_fails_like_twilio(make_sim: Callable[..., SimHandle], receiver: Receiver) -> None:
    sim = make_sim(whatsapp_window="fail")
    client = sim.twilio_client()
    message = client.messages.create(
        to=WA, from_=WHATSAPP_FROM, body="Free-form", status_callback=receiver.url("/status")
    )
    assert message.status == "queued"
    hits = receiver.wait_for("/status", 2)
    assert [h.form["MessageStatus"] for h in hits] == ["sending", "failed"]
    assert hits[-1].form["ErrorCode"] == "63016"
    assert client.messages(message.sid).fetch().error_code == 63016
