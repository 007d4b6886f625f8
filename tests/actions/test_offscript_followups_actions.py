"""Follow-ups to issue 16's off-script items: a remedy named beside a situation at the remedy
step is chosen (actions/situations.py, actions/recall_form.py); the time wish is cleared
with the rest of the form (ActionRecallOutcome); a repair named while a refund request is
open goes through the switch (actions/remedy_switch.py); and ActionEscalate hands over the
one way (actions/handover.py)."""

import asyncio

import pytest
from sqlalchemy import select

from actions.recall_form import ActionRecallOutcome, ValidateRecallForm
from actions.remedy_switch import ActionSwitchRemedy
from actions.situations import ActionSituation
from bot.conversation import texts
from bot.models import Booking, Customer, Escalation, RemedyRequest, RequestStatus, utcnow
from bot.services.remedy_requests import request_refund
from tests import factories
from tests.actions.support import BOT_SPOKE, DOMAIN, run, tracker

TRAVEL = "I want the repair but I am travelling until the 20th"
WISH = {"said": [[TRAVEL, "2026-12-03T10:00:00+00:00"]]}


def at_the_remedy(action_db, text, intent, **slots):
    return tracker(
        action_db["sender_id"],
        text,
        intent,
        slots={"requested_slot": "remedy", "serial": "AR26D004512", **slots},
        active_loop="recall_form",
        events=[*BOT_SPOKE, {"event": "user", "text": text}],
    )


def form_run(t):
    """The recall form's validation: (said, slots set, all events)."""
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateRecallForm().run(dispatcher, t, DOMAIN))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return [m["text"] for m in dispatcher.messages], slots, events


def stopped(events) -> bool:
    """The form stopped for the answer (actions/handover.py `validated`)."""
    return any(e.get("event") == "active_loop" and e.get("name") is None for e in events)


def customer_id(action_db) -> int:
    with action_db["factory"]() as s:
        return s.scalar(select(Customer.id).where(Customer.phone == "+919812300001"))


# ---------------------------------------------------------------- a remedy beside a situation


@pytest.mark.parametrize(
    ("text", "intent", "remedy"),
    [
        (TRAVEL, "tell_travelling", "repair"),
        ("im out of town till 20th, want the repair", "tell_travelling", "repair"),
        ("we moved last month. i want a replacement", "tell_moved", "replacement"),
        ("im his wife, refund pls", "tell_household_member", "refund"),
    ],
)
def test_a_remedy_beside_a_situation_is_chosen(action_db, text, intent, remedy):
    said, slots, _ = form_run(at_the_remedy(action_db, text, intent, time_preference=WISH))
    assert slots["remedy"] == remedy and slots["requested_slot"] != "remedy", (said, slots)
    assert "time_preference" not in slots  # the wish the slot mapping kept stays


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I am travelling until the 20th", "tell_travelling"),  # no remedy named
        ("i'm travelling, how long does a repair take?", "tell_travelling"),  # asked about, not chosen
        ("already got it repaired by a local mechanic", "tell_repaired_elsewhere"),
        ("its working fine after i had it fixed it myself", "tell_works_fine"),
    ],
)
def test_no_remedy_beside_a_situation_chooses_nothing(action_db, text, intent):
    _, slots, _ = form_run(at_the_remedy(action_db, text, intent))
    assert slots.get("remedy") is None and slots["requested_slot"] == "remedy", slots


def test_the_travel_answer_beside_a_remedy_says_the_day_comes_next(action_db):
    said, _ = asyncio.run(run(ActionSituation(), at_the_remedy(action_db, TRAVEL, "tell_travelling")))
    assert said == [texts.time_chosen_next()]
    said, _ = asyncio.run(
        run(ActionSituation(), at_the_remedy(action_db, "I am travelling until the 20th", "tell_travelling"))
    )
    assert said == [texts.travelling(False)]


# ---------------------------------------------------------------- the time wish after the form


def test_the_time_wish_is_cleared_with_the_form(action_db):
    t = tracker(
        action_db["sender_id"],
        "1",
        "choose_option",
        slots={"serial_status": "not_affected", "time_preference": WISH},
        events=BOT_SPOKE,
    )
    _, slots = asyncio.run(run(ActionRecallOutcome(), t))
    assert "time_preference" in slots and slots["time_preference"] is None
    t = tracker(action_db["sender_id"], "1", "choose_option", slots={"time_preference": WISH}, events=BOT_SPOKE)
    _, slots = asyncio.run(run(ActionRecallOutcome(), t))  # nothing booked: the serial asked again
    assert "time_preference" in slots and slots["time_preference"] is None


# ---------------------------------------------------------------- a repair beside an open request


def test_a_repair_beside_an_open_refund_goes_through_the_switch(action_db):
    asha = customer_id(action_db)
    refund = factories.new_request(action_db["factory"], asha, now=utcnow(), create=request_refund).request
    said, slots, events = form_run(at_the_remedy(action_db, "actually just repair it", "choose_repair"))
    assert any("request will be changed to a repair" in line and "Reply YES" in line for line in said), said
    assert slots["remedy"] is None and slots["remedy_switch"] == "asked" and slots["switch_to"] == "repair"
    assert stopped(events)  # the form stops for the answer
    with action_db["factory"]() as s:
        assert s.get(RemedyRequest, refund.id).status == RequestStatus.REQUESTED
        assert s.scalar(select(Booking)) is None

    answer = tracker(
        action_db["sender_id"],
        "yes",
        "affirm",
        slots={"remedy_switch": "asked", "switch_to": "repair"},
        events=[
            {"event": "user", "text": "actually just repair it"},
            # the form stopped for the question: not logged as run, its slots are (Rasa's processor)
            {"event": "slot", "name": "remedy_switch", "value": "asked"},
            {"event": "slot", "name": "switch_to", "value": "repair"},
            {"event": "bot", "text": said[-1]},
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": "yes"},
        ],
    )
    said, slots = asyncio.run(run(ActionSwitchRemedy(), answer))
    assert said == [texts.switched("repair", None, None, None, False)]
    assert slots["remedy"] == "repair" and slots["remedy_confirmed"] is True and slots["remedy_switch"] == "switched"
    with action_db["factory"]() as s:
        assert s.get(RemedyRequest, refund.id).status == RequestStatus.CANCELLED

    # the form, back on with the repair confirmed, goes on to the address (no switch asked again)
    activated = tracker(
        action_db["sender_id"],
        "yes",
        "affirm",
        slots={"serial": "AR26D004512", "remedy": "repair", "remedy_confirmed": True},
        active_loop="recall_form",
        events=[
            *BOT_SPOKE,
            {"event": "user", "text": "yes"},
            {"event": "action", "name": "action_switch_remedy"},
            {"event": "slot", "name": "remedy", "value": "repair"},  # the prefilled slots, validated
            {"event": "slot", "name": "remedy_confirmed", "value": True},
        ],
    )
    said, slots, _ = form_run(activated)
    assert slots["remedy"] == "repair" and slots["requested_slot"] == "address_confirmed", (said, slots)


def test_a_repair_named_at_the_address_step_beside_an_open_refund_asks_the_switch(action_db):
    asha = customer_id(action_db)
    factories.new_request(action_db["factory"], asha, now=utcnow(), create=request_refund)
    text = "actually can i get it repaired instead"
    t = tracker(
        action_db["sender_id"],
        text,
        "choose_repair",
        slots={"requested_slot": "address", "address": text, "remedy": "refund", "address_confirmed": False},
        active_loop="recall_form",
        events=[*BOT_SPOKE, {"event": "user", "text": text}],
    )
    said, slots, events = form_run(t)
    assert any("request will be changed to a repair" in line for line in said), said
    assert slots["remedy_switch"] == "asked" and stopped(events)


# ---------------------------------------------------------------- one way to hand over


def test_action_escalate_hands_over_through_the_shared_function(action_db, monkeypatch):
    import actions.handover
    from actions.support import ActionEscalate

    calls = []
    shared = actions.handover.escalate

    async def spy(dispatcher, ctx, reason, text, signals=None):
        calls.append(reason)
        await shared(dispatcher, ctx, reason, text, signals)

    monkeypatch.setattr("actions.support.escalate", spy)
    t = tracker(action_db["sender_id"], "let me talk to a real person", "request_human", events=BOT_SPOKE)
    said, slots = asyncio.run(run(ActionEscalate(), t))
    assert calls == ["request_human"] and slots["human_offered"] is False
    assert any("team" in line.lower() or "person" in line.lower() for line in said), said
    with action_db["factory"]() as s:
        assert s.scalar(select(Escalation.reason)) == "request_human"
