"""The gateway over HTTP with everything real but Twilio's servers: the app (`recall
serve`, a child process), the Rasa server, the action server, PostgreSQL, and the
local Twilio simulator acting as Twilio and as the customers' phones."""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import select, text
from twilio.request_validator import RequestValidator

from bot.campaigns.definition import parse_definition
from bot.campaigns.loader import load_campaign
from bot.cli.context import AppContext
from bot.cli.main import cli
from bot.db import make_engine, make_session_factory
from bot.models import (
    Booking,
    BookingStatus,
    Campaign,
    Customer,
    Direction,
    Escalation,
    Feedback,
    Message,
    Priority,
    utcnow,
)
from bot.processes import free_port
from bot.services.escalations import queue
from bot.services.slots import free_slots
from bot.settings import PROJECT_ROOT, Settings
from tests import factories
from tests.e2e.stack import TOKEN, Stack, running_stack
from tests.support.demo import seed_demo

pytestmark = pytest.mark.rasa
LONG_PHONE = "+919812300990"


def _long_campaign(url: str) -> None:
    """A second recall with texts long enough that the first reply exceeds 1,600 characters."""
    data = yaml.safe_load((PROJECT_ROOT / "demo" / "campaign.yml").read_text())
    long = copy.deepcopy(data)
    long["slug"] = "long-texts-test"
    long["hazard"] = "The valve can block and the unit stops cooling. " * 40
    factory = make_session_factory(make_engine(url))
    with factory.begin() as s:
        campaign_id = load_campaign(s, parse_definition(long)).campaign_id
        s.execute(
            text("UPDATE campaigns SET created_at = created_at - interval '1 day' WHERE id = :id"), {"id": campaign_id}
        )
        s.execute(
            text(
                "INSERT INTO customers (campaign_id, phone, name, whatsapp_opt_in, source, created_at, "
                "updated_at, sms_unreachable, whatsapp_unreachable) VALUES (:c, :p, 'Long Reader', false, "
                "'import', now(), now(), false, false)"
            ),
            {"c": campaign_id, "p": LONG_PHONE},
        )


def _seed_two_campaigns(url: str) -> None:
    seed_demo(url)
    _long_campaign(url)
    seed_demo(url)  # the demo campaign stays the newest: unknown numbers join it


@pytest.fixture(scope="module")
def stack(rasa_model) -> Iterator[Stack]:
    with running_stack(rasa_model, _seed_two_campaigns) as running:
        yield running


def test_health_reports_every_part(stack):
    response = httpx.get(f"{stack.app.url}/health", timeout=10)
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "rasa": "ok", "action_server": "ok"}


def test_forged_and_missing_signatures_are_refused_and_nothing_stored(stack):
    params = {"MessageSid": "SM" + "f" * 32, "From": "+919812300031", "To": "+15005550006", "Body": "hi"}
    assert httpx.post(f"{stack.app.url}/twilio/inbound", data=params, timeout=10).status_code == 403
    forged = {
        "X-Twilio-Signature": RequestValidator("wrong-token").compute_signature(
            f"{stack.app.url}/twilio/inbound", params
        )
    }
    assert httpx.post(f"{stack.app.url}/twilio/inbound", data=params, headers=forged, timeout=10).status_code == 403
    with stack.db() as s:
        assert s.scalar(select(Message.id).where(Message.twilio_sid == "SM" + "f" * 32)) is None


def test_webhook_is_acknowledged_at_once_and_answered_after(stack):
    result = stack.sim.send("+919812300032", "hi")
    webhook = result["webhook"]
    assert webhook["status_code"] == 200 and webhook["latency_ms"] < 1000
    replies = stack.replies("+919812300032")
    assert "Thank you for choosing Arctica Appliances" in replies[0]["body"]


def test_the_same_message_sid_twice_gets_one_reply(stack):
    params = {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": stack.sim.config.account_sid,
        "From": "+919812300033",
        "To": "+15005550006",
        "Body": "hello",
        "NumMedia": "0",
    }
    assert stack.signed_post(params).status_code == 200
    assert stack.signed_post(params).status_code == 200
    stack.replies("+919812300033")
    wait_processed(stack, "+919812300033")
    assert stack.outbound_count("+919812300033") == 1


def test_killed_between_storing_and_processing_the_message_is_answered_after_restart(stack):
    stack.app.stop()
    stack.app.start(RASA_URL=f"http://127.0.0.1:{free_port()}")  # Rasa unreachable: stored, not processed
    assert stack.sim.send("+919812300034", "hello")["webhook"]["status_code"] == 200
    with stack.db() as s:
        row = s.scalar(select(Message).where(Message.from_address == "+919812300034"))
        assert row is not None and row.processed_at is None
    stack.app.kill()
    stack.app.start()
    replies = stack.replies("+919812300034")
    assert replies and "Arctica" in replies[0]["body"]


def test_sms_then_whatsapp_is_one_conversation(stack):
    stack.sim.send("+919812300035", "my serial is AR26D005000")
    first = stack.replies("+919812300035")
    assert "AR26D005000 is one of the affected" in " ".join(m["body"] for m in first)
    seen = stack.outbound_count("+919812300035")
    stack.sim.send("+919812300035", "hi", channel="whatsapp")
    reply = stack.replies("+919812300035", after=seen)[0]
    assert reply["to"].startswith("whatsapp:")
    assert "Reply with a number" in reply["body"] and "serial number of your" not in reply["body"]


def test_stop_silences_every_path_and_start_brings_it_back(stack):
    phone = "+919812300036"
    stack.sim.send(phone, "hi")
    stack.replies(phone)
    stack.sim.send(phone, "STOP")  # on SMS, Twilio itself confirms (and blocks us)
    stack.sim.send(phone, "AR26D005100")
    stack.sim.send(phone, "hello?", channel="whatsapp")
    wait_processed(stack, phone)  # every message handled: whatever the app would send is sent
    sent = stack.sim.messages(phone)
    assert stack.outbound_count(phone) == 1  # nothing from us after STOP, on any channel
    assert [m["body"] for m in sent if m["direction"] == "outbound-reply"][0].startswith("You have successfully")
    stack.sim.send(phone, "START")
    stack.sim.send(phone, "AR26D005100")
    back = stack.replies(phone, after=1)
    assert back and "is one of the affected" in " ".join(m["body"] for m in back)
    with stack.db() as s:
        customer_id = s.scalar(select(Message.customer_id).where(Message.from_address == phone))
    assert stack.recall_customer(phone)["opted_out"] is False and customer_id


def test_help_text(stack):
    stack.sim.send("+919812300037", "help")
    body = stack.replies("+919812300037")[0]["body"]
    assert "Arctica Care" in body and "STOP" in body


def test_a_5000_character_message_and_a_media_only_message(stack):
    phone = "+919812300038"
    assert stack.sim.send(phone, "a" * 5000)["webhook"]["status_code"] == 200
    stack.replies(phone)
    seen = stack.outbound_count(phone)
    result = stack.sim.send(phone, "", photo=("label.jpg", b"\xff\xd8\xff fake jpeg", "image/jpeg"))
    assert result["webhook"]["status_code"] == 200
    assert "photo" in stack.replies(phone, after=seen)[0]["body"]
    with stack.db() as s:
        photo = s.scalar(select(Message).where(Message.from_address == phone, Message.num_media == 1))
        assert photo.media[0]["content_type"] == "image/jpeg"


def test_a_reply_over_1600_characters_is_split(stack):
    stack.sim.send(LONG_PHONE, "what is the defect?")
    parts = stack.replies(LONG_PHONE, 2)
    assert len(parts) >= 2 and all(len(p["body"]) <= 1600 for p in parts)


def test_429_then_success_is_delivered_once(stack):
    phone = "+919812300039"
    stack.sim.set_faults(fail_next=[{"status": 429, "count": 1}])
    try:
        stack.sim.send(phone, "hi")
        replies = stack.replies(phone)
        wait_processed(stack, phone)
        assert stack.outbound_count(phone) == 1
        deadline = time.monotonic() + 10
        while stack.sim.messages(phone)[-1]["status"] != "delivered" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert stack.sim.messages(phone)[-1]["status"] == "delivered"
    finally:
        stack.sim.clear_faults()
    with stack.db() as s:
        out = s.scalars(
            select(Message).where(Message.to_address == phone, Message.direction == Direction.OUTBOUND)
        ).all()
        assert len(out) == 1 and out[0].twilio_sid == replies[0]["sid"]


def test_the_action_server_stopped_mid_conversation_escalates_once(stack):
    phone = "+919812300043"
    stack.sim.send(phone, "hi")
    stack.replies(phone)
    wait_processed(stack, phone)
    seen = stack.outbound_count(phone)
    actions = stack.dialogue.actions
    actions.stop()  # Rasa now answers every turn with nothing
    try:
        stack.sim.send(phone, "what is the defect?")
        told = stack.replies(phone, after=seen)
        assert told and told[0]["body"].startswith(
            "Sorry, something went wrong on our side. A person from Arctica Appliances will reply to you here"
        )
        with stack.db() as s:
            escalation = s.scalar(
                select(Escalation).join(Customer, Customer.id == Escalation.customer_id).where(Customer.phone == phone)
            )
            assert (escalation.reason, escalation.priority) == ("system_error", Priority.HIGH)
        stack.sim.send(phone, "hello??")  # a person has it now: stored, not answered
        wait_processed(stack, phone)
        assert stack.outbound_count(phone) == seen + 1
    finally:
        actions.start()
        actions.wait_ready(60)


def wait_processed(stack: Stack, phone: str, timeout: float = 20) -> None:
    """Until every message from `phone` is processed (stored for the console, or answered).

    The worker marks a message processed only after the reply went to Twilio, so once none
    is pending, whatever the app was going to send for them has reached the simulator: the
    "nothing else arrived" checks that follow need no fixed sleep."""
    deadline = time.monotonic() + timeout
    with stack.db() as s:
        while True:
            pending = s.scalar(
                text(
                    "SELECT count(*) FROM messages WHERE direction = 'inbound' "
                    "AND from_address LIKE :p AND processed_at IS NULL"
                ),
                {"p": f"%{phone}"},
            )
            if not pending or time.monotonic() > deadline:
                break
            time.sleep(0.1)
            s.rollback()
    assert pending == 0


def test_a_request_for_a_person_silences_the_bot_for_ten_messages(stack):
    phone = "+919812300040"
    stack.sim.send(phone, "I want to talk to a real person")
    told = stack.replies(phone)
    assert "person from our team will reply" in " ".join(m["body"] for m in told)
    seen = stack.outbound_count(phone)
    for n in range(10):
        assert (
            stack.sim.send(phone, f"hello?? {n}", channel="whatsapp" if n % 3 else "sms")["webhook"]["status_code"]
            == 200
        )
    wait_processed(stack, phone)  # every message stored and processed (for the console), none answered
    assert stack.outbound_count(phone) == seen


# ---------------------------------------------------------------------- issue 7 acceptance
# Booking completed → the follow-up job runs → the customer's phone gets the feedback
# question → the customer texts "2" → the conversation is in the agents' queue as
# `low_feedback`.
FEEDBACK_PHONE = "+919812300005"


def complete_a_repair(database_url: str, phone: str) -> int:
    """A repair booked, and the technician's outcome recorded with `recall booking complete REF`."""
    factory = make_session_factory(make_engine(database_url))
    with factory.begin() as s:
        customer = s.scalar(select(Customer).where(Customer.phone == phone))
        customer_id = customer.id
        slot_id = free_slots(s, s.get(Campaign, customer.campaign_id), "411001", now=utcnow(), limit=1)[0].id
    outcome = factories.book_repair(
        factory, customer_id, slot_id, now=utcnow(), address="12 MG Road, Pune", postcode="411001"
    )
    assert outcome.booked
    result = CliRunner().invoke(
        cli,
        ["booking", "complete", outcome.booking.reference, "--note", "valve replaced"],
        obj=AppContext(settings=Settings(database_url=database_url)),
    )
    assert result.exit_code == 0, result.output
    with factory() as s:
        assert s.get(Booking, outcome.booking.id).status is BookingStatus.COMPLETED
        assert s.get(Customer, customer_id).completed_at is not None
    return customer_id


def feedback_tick(stack: Stack) -> str:
    settings = Settings(
        database_url=stack.database_url,
        rasa_url=stack.dialogue.rasa_url,
        rasa_token=stack.dialogue.rasa_token,
        twilio_api_url=stack.sim.base_url,
        twilio_auth_token=TOKEN,
        twilio_account_sid=stack.sim.config.account_sid,
    )
    result = CliRunner().invoke(cli, ["feedback", "tick", "--ignore-quiet-hours"], obj=AppContext(settings=settings))
    assert result.exit_code == 0, result.output
    return result.output


def test_completed_booking_feedback_2_escalates(stack):
    stack.sim.send(FEEDBACK_PHONE, "hi")
    seen = len(stack.replies(FEEDBACK_PHONE))
    customer_id = complete_a_repair(stack.database_url, FEEDBACK_PHONE)

    assert "feedback asked 1" in feedback_tick(stack)
    question = stack.replies(FEEDBACK_PHONE, after=seen)
    assert question and "How did the repair go? Reply with a number from 1 (bad) to 5 (great)." in question[0]["body"]
    assert "feedback asked 0" in feedback_tick(stack)  # once: running it again asks nobody

    stack.sim.send(FEEDBACK_PHONE, "2")
    answer = stack.replies(FEEDBACK_PHONE, after=seen + 1)
    assert answer and "sorry it didn't go well" in answer[0]["body"]
    with stack.db() as s:
        escalation = s.scalar(select(Escalation).where(Escalation.customer_id == customer_id))
        assert (escalation.reason, escalation.status.value, escalation.priority.value) == (
            "low_feedback",
            "open",
            "high",
        )
        assert escalation.trigger_text == "2"
        assert [item.customer_id for item in queue(s) if item.reason == "low_feedback"] == [customer_id]
        assert s.scalar(select(Feedback.score).where(Feedback.customer_id == customer_id)) == 2
