"""Found by tests/e2e/test_offscript_after_times.py: a day said with RESCHEDULE ("can we move
it to saturday") is kept for the offer (actions/changes.py), and another remedy named while the
first time is asked ("wait actually can i get refund instead of new one?") is switched as at
the address step (actions/recall_form.py)."""

import asyncio

from sqlalchemy import select

from actions.changes import ActionPrepareReschedule
from actions.recall_form import ActionAskBookingSlot
from bot.models import Customer
from tests.actions.support import BOT_SPOKE, run, tracker
from tests.actions.test_recall_actions import run_form

ADDRESS = {"address_confirmed": True, "address": "12 FC Road, Pune", "postcode": "411001"}


def offer(sender: str, slots: dict) -> tuple[list[str], list[dict]]:
    t = tracker(sender, "yes", "affirm", slots=slots, events=BOT_SPOKE)
    said, events = asyncio.run(run(ActionAskBookingSlot(), t))
    return said, events["offered_slots"]


def at_the_time_step(sender: str, text: str, intent: str, offered: list, slots: dict):
    return tracker(
        sender,
        text,
        intent,
        active_loop="recall_form",
        events=[*BOT_SPOKE, {"event": "user", "text": text}],
        slots={**ADDRESS, **slots, "requested_slot": "booking_slot", "booking_slot": text, "offered_slots": offered},
    )


def verified(action_db) -> None:
    with action_db["factory"].begin() as s:
        s.scalar(select(Customer)).verification = "affected"


def test_move_it_to_saturday_offers_saturdays(action_db):
    sender = action_db["sender_id"]
    verified(action_db)
    _, offered = offer(sender, {"remedy": "repair", "postcode": "411001"})
    _, booked = asyncio.run(run_form(at_the_time_step(sender, "1", "choose_option", offered, {"remedy": "repair"})))
    assert booked["booking_reference"].startswith("RP-")
    t = tracker(sender, "can we move it to saturday", "reschedule", events=BOT_SPOKE)
    said, slots = asyncio.run(run(ActionPrepareReschedule(), t))
    assert said == [] and slots["rescheduling"] is True
    assert slots["time_preference"]["said"][0][0] == "can we move it to saturday"
    _, moved = offer(sender, {"rescheduling": True, "postcode": "411001", "time_preference": slots["time_preference"]})
    assert moved and all(o["label"].startswith("Sat ") for o in moved), moved
    t = tracker(sender, "can i change the appointment", "reschedule", events=BOT_SPOKE)
    _, slots = asyncio.run(run(ActionPrepareReschedule(), t))
    assert "time_preference" not in slots  # no day said: the usual offer


def test_another_remedy_at_the_time_step_is_switched_before_booking(action_db):
    sender = action_db["sender_id"]
    verified(action_db)
    chosen = {"remedy": "replacement", "remedy_confirmed": True}
    _, offered = offer(sender, {**chosen, "postcode": "411001"})
    text = "wait actually can i get refund instead of new one?"
    said, slots = asyncio.run(run_form(at_the_time_step(sender, text, "choose_refund", offered, chosen)))
    assert slots["remedy"] == "refund" and slots["remedy_confirmed"] is None and slots["booking_slot"] is None
    assert not any("reply with a number from 1" in line.lower() for line in said), said
    # while a booking is moved, a remedy is not changed here (that is the switch after booking)
    moving = {"remedy": "repair", "rescheduling": True}
    said, slots = asyncio.run(run_form(at_the_time_step(sender, "refund pls", "choose_refund", offered, moving)))
    assert slots.get("remedy", "repair") == "repair" and slots["booking_slot"] is None


def test_a_pick_at_the_time_step_still_books(action_db):
    sender = action_db["sender_id"]
    verified(action_db)
    _, offered = offer(sender, {"remedy": "repair", "postcode": "411001"})
    _, slots = asyncio.run(run_form(at_the_time_step(sender, "2", "choose_option", offered, {"remedy": "repair"})))
    assert slots["booking_reference"].startswith("RP-") and slots["booking_slot"] == str(offered[1]["id"])
