"""A serial typed with look-alike slips (O for 0 ...) is suggested, never accepted silently."""

import asyncio

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.recall_form import ActionAskSerial, ValidateRecallForm
from bot.models import Customer, Unit
from tests.actions.support import BOT_SPOKE, run, tracker

FORM_SLOTS = ["serial", "remedy", "address", "postcode", "booking_slot"]
FORM_DOMAIN = {"forms": {"recall_form": {"required_slots": FORM_SLOTS}}}


async def run_form(t):
    dispatcher = CollectingDispatcher()
    events = await ValidateRecallForm().run(dispatcher, t, FORM_DOMAIN)
    return [m["text"] for m in dispatcher.messages], {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def validate(sender, text, intent="inform_serial", **slots):
    t = tracker(
        sender,
        text,
        intent,
        slots={"requested_slot": "serial", "serial": text, **slots},
        active_loop="recall_form",
        events=[*BOT_SPOKE, {"event": "user", "text": text}],
    )
    return asyncio.run(run_form(t))


def verified(action_db):
    with action_db["factory"]() as s:
        customer = s.scalar(select(Customer))
        units = s.scalars(select(Unit.serial).where(Unit.customer_id == customer.id))
        return customer.verified_at is not None, sorted(units)


def test_a_slip_is_suggested_not_verified(action_db):
    said, slots = validate(action_db["sender_id"], "ar26d1o452O")
    assert slots["serial"] is None and slots["suggested_serial"] == "AR26D104520"
    assert slots["requested_slot"] == "serial" and "serial_failures" not in slots
    assert not any("affected" in line for line in said)
    assert verified(action_db) == (False, ["AR26D004512"])


def test_the_question_is_did_you_mean(action_db):
    t = tracker(action_db["sender_id"], "ar26d1o452O", slots={"suggested_serial": "AR26D104520"}, events=BOT_SPOKE)
    said, _ = asyncio.run(run(ActionAskSerial(), t))
    assert said == ["Did you mean AR26D104520? Reply YES or NO."]


def test_even_her_own_serial_typed_with_a_slip_is_asked_first(action_db):
    _, slots = validate(action_db["sender_id"], "its ar26-d0o4512 i think")
    assert slots["serial"] is None and slots["suggested_serial"] == "AR26D004512"
    assert verified(action_db) == (False, ["AR26D004512"])


def test_yes_verifies_the_suggested_reading(action_db):
    said, slots = validate(action_db["sender_id"], "yes", "affirm", suggested_serial="AR26D104520")
    assert slots["serial"] == "AR26D104520" and slots["serial_status"] == "affected"
    assert slots["suggested_serial"] is None and slots["serial_failures"] == 0
    assert slots["requested_slot"] == "remedy"
    assert any("AR26D104520 is one of the affected" in line for line in said)
    assert verified(action_db) == (True, ["AR26D004512", "AR26D104520"])


def test_no_asks_again_and_counts_as_a_failure(action_db):
    said, slots = validate(action_db["sender_id"], "no", "deny", suggested_serial="AR26D104520")
    assert said == ["OK."]
    assert slots["serial"] is None and slots["suggested_serial"] is None and slots["serial_failures"] == 1
    assert slots["requested_slot"] == "serial"
    assert verified(action_db) == (False, ["AR26D004512"])


def test_no_after_an_earlier_failure_offers_a_person(action_db):
    _, slots = validate(action_db["sender_id"], "nope", "deny", suggested_serial="AR26D104520", serial_failures=1)
    assert slots["serial_status"] == "failed" and slots["serial_failures"] == 2
    assert slots["serial"] == "?" and slots["requested_slot"] is None
    assert verified(action_db) == (False, ["AR26D004512"])


def test_the_right_serial_instead_of_yes_or_no_is_verified(action_db):
    _, slots = validate(action_db["sender_id"], "AR26D104520", suggested_serial="AR26D104520")
    assert slots["serial"] == "AR26D104520" and slots["serial_status"] == "affected"
    assert verified(action_db) == (True, ["AR26D004512", "AR26D104520"])


def test_a_slip_that_makes_no_serial_counts_as_before(action_db):
    said, slots = validate(action_db["sender_id"], "AR26DXO4520")
    assert slots["serial"] is None and slots["serial_failures"] == 1
    assert any("doesn't look like a serial" in line for line in said)
