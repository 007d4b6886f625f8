"""An action that fails (here: its database call raises) apologises, hands the
conversation to a person (escalation system_error, priority high, the bot paused) and
makes Rasa listen; never a retry, never silence."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.events import ActionExecutionRejected, ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

import actions.recall_form
from actions import runtime
from actions.base import RecallAction, say
from actions.recall_form import ValidateRecallForm
from bot.models import AuditEvent, Conversation, Escalation, EscalationStatus, Priority
from tests.actions.support import BOT_SPOKE, run, tracker
from tests.actions.test_recall_actions import DOMAIN_FORM, form_tracker

APOLOGY = "Sorry, something went wrong on our side. A person from Arctica Appliances will reply to you here"
LISTEN = FollowupAction("action_listen")


class ActionBookingThatBreaks(RecallAction):
    """Says something, then its database call fails."""

    def name(self) -> str:
        return "action_booking_that_breaks"

    async def respond(self, dispatcher, tracker, ctx):
        say(dispatcher, "Booked.")
        await runtime.read(lambda s: s.execute(text("SELECT * FROM no_such_table")))
        return []


def run_events(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, DOMAIN_FORM))
    return [m["text"] for m in dispatcher.messages], events


def escalations(factory) -> list[Escalation]:
    with factory() as s:
        return list(s.scalars(select(Escalation)))


def paused(factory) -> bool:
    with factory() as s:
        return bool(s.scalar(select(Conversation.bot_paused)))


def test_a_failing_database_call_apologises_escalates_and_pauses(action_db):
    said, events = run_events(
        ActionBookingThatBreaks(), tracker(action_db["sender_id"], "the first one", "inform", events=BOT_SPOKE)
    )
    assert len(said) == 1 and said[0].startswith(APOLOGY)  # the half-done "Booked." is not sent
    assert events == [LISTEN]  # Rasa listens: no other action this turn, no retry
    [escalation] = escalations(action_db["factory"])
    assert (escalation.reason, escalation.priority, escalation.status) == (
        "system_error",
        Priority.HIGH,
        EscalationStatus.OPEN,
    )
    assert escalation.trigger_text == "the first one"
    assert paused(action_db["factory"])
    with action_db["factory"]() as s:
        audit = s.scalar(select(AuditEvent).where(AuditEvent.action == "escalation.recorded"))
        assert audit.detail["signals"] == {"failure": "action action_booking_that_breaks failed"}


def test_a_failing_action_inside_a_form_stops_the_form(action_db):
    t = tracker(
        action_db["sender_id"],
        "411001",
        "inform",
        active_loop="recall_form",
        events=BOT_SPOKE,
        slots={"requested_slot": "postcode"},
    )
    said, events = run_events(ActionBookingThatBreaks(), t)
    assert said[0].startswith(APOLOGY)
    assert events == [ActiveLoop(None), SlotSet("requested_slot", None), LISTEN]


def test_a_failing_form_validation_rejects_the_form_and_listens(action_db, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT ... FROM units", {}, Exception("server closed the connection"))

    monkeypatch.setattr(actions.recall_form, "check_serials", broken)
    said, events = run_events(ValidateRecallForm(), form_tracker(action_db["sender_id"], "AR26D004512"))
    assert len(said) == 1 and said[0].startswith(APOLOGY)
    # Rejected, the form asks nothing more; without it Rasa would drop the apology.
    assert events == [ActionExecutionRejected("recall_form"), ActiveLoop(None), SlotSet("requested_slot", None), LISTEN]
    assert [e.reason for e in escalations(action_db["factory"])] == ["system_error"]
    assert paused(action_db["factory"])


def test_when_recording_the_escalation_fails_too_the_apology_still_goes_out(action_db, monkeypatch):
    async def no_writes(fn):
        raise OperationalError("INSERT INTO escalations ...", {}, Exception("disk full"))

    monkeypatch.setattr(runtime, "in_transaction", no_writes)
    said, events = run_events(ActionBookingThatBreaks(), tracker(action_db["sender_id"], "hi", events=BOT_SPOKE))
    assert said[0].startswith(APOLOGY) and events == [LISTEN]
    assert escalations(action_db["factory"]) == [] and not paused(action_db["factory"])


def test_with_the_database_down_a_plain_apology(action_db, monkeypatch):
    async def down(sender_id):
        raise OperationalError("SELECT ... FROM conversations", {}, Exception("connection refused"))

    monkeypatch.setattr(runtime, "context", down)
    said, _ = asyncio.run(run(ActionBookingThatBreaks(), tracker(action_db["sender_id"], "hi", events=BOT_SPOKE)))
    assert said == ["Sorry, something went wrong on our side. A person from our team will reply to you here."]


@pytest.mark.parametrize("active_loop", [None, "recall_form"])
def test_a_working_action_is_left_alone(action_db, active_loop):
    from actions.support import ActionThank

    said, events = run_events(
        ActionThank(), tracker(action_db["sender_id"], "thanks", "thank", active_loop=active_loop, events=BOT_SPOKE)
    )
    assert said == ["You're welcome."] and events == []
    assert escalations(action_db["factory"]) == []
