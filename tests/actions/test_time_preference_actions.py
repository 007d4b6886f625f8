"""Time preferences in the recall form's actions (actions/time_preferences.py and the time
step of actions/recall_form.py): kept before the time step, read at it ("sunday?" taken
from a question intent, "none of these" not a pick), the times that fit offered, and a
person after two refusals."""

import asyncio

from sqlalchemy import select

from actions.recall_form import ActionAskBookingSlot
from actions.time_preferences import ActionExtractTimePreference
from bot.models import Escalation
from tests.actions.support import BOT_SPOKE, run, tracker
from tests.actions.test_recall_actions import run_form

SLOTS = {"remedy": "repair", "postcode": "411001", "address_confirmed": True, "address": "12 FC Road, Pune"}


def at_the_time_step(sender: str, text: str, intent: str, offered: list, state=None):
    return tracker(
        sender,
        text,
        intent,
        active_loop="recall_form",
        events=[*BOT_SPOKE, {"event": "user", "text": text}],
        slots={
            **SLOTS,
            "requested_slot": "booking_slot",
            "booking_slot": text,
            "offered_slots": offered,
            "time_preference": state,
        },
    )


def offer(sender: str, state=None) -> tuple[list[str], dict]:
    t = tracker(sender, "yes", "affirm", slots={**SLOTS, "time_preference": state}, events=BOT_SPOKE)
    return asyncio.run(run(ActionAskBookingSlot(), t))


def test_a_wish_before_the_time_step_is_kept_and_applied(action_db):
    sender = action_db["sender_id"]
    t = tracker(
        sender,
        "I want the repair but I am travelling until the 20th",
        "choose_repair",
        slots={"requested_slot": "remedy"},
        active_loop="recall_form",
    )
    said, slots = asyncio.run(run(ActionExtractTimePreference(), t))
    assert said == [] and slots["time_preference"]["said"][0][0].endswith("until the 20th")
    for not_a_wish, step in (
        ("no", "address_confirmed"),
        ("12 FC Road, Pune", "address"),
        ("Sunday Market Lane 4, Pune 411001", "address"),
        ("flat 4, morning glory apts", "address"),
        ("sunday", "serial"),
    ):
        t = tracker(sender, not_a_wish, "deny", slots={"requested_slot": step}, active_loop="recall_form")
        assert asyncio.run(run(ActionExtractTimePreference(), t)) == ([], {})
    said, offered = offer(sender, slots["time_preference"])
    assert "that fit" in said[0] and len(offered["offered_slots"]) == 3


def test_sunday_asked_as_a_question_is_a_wish_then_none_twice_is_a_person(action_db):
    sender = action_db["sender_id"]
    said, first = offer(sender)
    offered = first["offered_slots"]
    t = at_the_time_step(sender, "sunday?", "ask_visit", offered)
    _, slots = asyncio.run(run_form(t))
    assert slots["booking_slot"] is None and slots["time_preference"]["said"][0][0] == "sunday?"
    said, second = offer(sender, slots["time_preference"])
    assert said[0] == "Our technicians visit Monday to Saturday, not on Sunday." and "nearest free times" in said[1]

    state = slots["time_preference"]
    for _ in range(2):
        t = at_the_time_step(sender, "none of these work", "deny", second["offered_slots"], state)
        _, slots = asyncio.run(run_form(t))
        state = slots["time_preference"]
        assert slots["booking_slot"] is None
        said, second = offer(sender, state)
        if state["refusals"] == 1:
            assert said[0].startswith("Here are other free times")
            assert not {o["id"] for o in second["offered_slots"]} & set(state["exclude"])
    assert "arrange a time with you" in said[0] and second == {"offered_slots": [], "time_preference": None}
    with action_db["factory"]() as s:
        assert s.scalar(select(Escalation.reason)) == "no_suitable_time"


def test_a_pick_still_books(action_db):
    sender = action_db["sender_id"]
    _, first = offer(sender)
    offered = first["offered_slots"]
    from bot.models import Customer

    with action_db["factory"].begin() as s:
        s.scalar(select(Customer)).verification = "affected"
    _, slots = asyncio.run(run_form(at_the_time_step(sender, "2", "choose_option", offered, {"said": [["x", "y"]]})))
    assert slots["booking_slot"] == str(offered[1]["id"]) and slots["time_preference"] is None
