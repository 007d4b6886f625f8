"""A photo of the label in the recall form (actions/recall_form.py): the serial the gateway
read is only offered ("Is your serial …? Reply YES or NO."), YES verifies it, nothing read is
the tip and a strike, and two strikes offer a person."""

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.recall_form import ActionAskSerial, ActionRecallOutcome, ValidateRecallForm
from tests.actions.support import BOT_SPOKE, run, tracker
from tests.actions.test_serial_slips import verified

FORM_SLOTS = ["serial", "remedy", "address", "postcode", "booking_slot"]
FORM_DOMAIN = {"forms": {"recall_form": {"required_slots": FORM_SLOTS}}}
READ = '/photo_serial{"serial": "AR26D004512"}'


def photo_tracker(sender, text, intent, serial=None, **slots):
    entities = [{"entity": "serial", "value": serial}] if serial else []
    return tracker(
        sender,
        text,
        intent,
        slots={"requested_slot": "serial", **slots},
        entities=entities,
        active_loop="recall_form",
        events=[*BOT_SPOKE, {"event": "user", "text": text}],
    )


async def _form(t):
    dispatcher = CollectingDispatcher()
    events = await ValidateRecallForm().run(dispatcher, t, FORM_DOMAIN)
    return [m["text"] for m in dispatcher.messages], {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def form(sender, text, intent, serial=None, **slots):
    return asyncio.run(_form(photo_tracker(sender, text, intent, serial, **slots)))


def test_the_serial_read_is_offered_not_verified(action_db):
    said, slots = form(action_db["sender_id"], READ, "photo_serial", "AR26D004512")
    assert slots["serial"] is None and slots["suggested_serial"] == "AR26D004512"
    assert said == [] and "serial_failures" not in slots
    assert verified(action_db) == (False, ["AR26D004512"])


def test_the_question_is_is_your_serial(action_db):
    t = photo_tracker(action_db["sender_id"], READ, "photo_serial", "AR26D004512", suggested_serial="AR26D004512")
    said, _ = asyncio.run(run(ActionAskSerial(), t))
    assert said == ["Is your serial AR26D004512? Reply YES or NO."]


def test_yes_verifies_it_and_the_remedies_are_next(action_db):
    said, slots = form(action_db["sender_id"], "haan", "affirm", suggested_serial="AR26D004512")
    assert slots["serial"] == "AR26D004512" and slots["serial_status"] == "affected"
    assert slots["requested_slot"] == "remedy"
    assert verified(action_db) == (True, ["AR26D004512"])


def test_a_read_that_does_not_fit_the_format_is_nothing_read(action_db):
    said, slots = form(action_db["sender_id"], '/photo_serial{"serial": "XX1"}', "photo_serial", "XX1")
    assert slots["serial_failures"] == 1 and slots.get("suggested_serial") is None
    assert said and said[0].startswith("I couldn't read the serial number on that photo.")


def test_nothing_read_is_the_tip_and_a_strike(action_db):
    said, slots = form(action_db["sender_id"], "/photo_unreadable", "photo_unreadable")
    assert said == [
        "I couldn't read the serial number on that photo. Please send another one taken closer to the label, "
        "in good light and straight on, or type the serial number. It is on the label inside the door and "
        "starts with AR26."
    ]
    assert slots["serial_failures"] == 1 and slots["requested_slot"] == "serial"
    t = photo_tracker(action_db["sender_id"], "/photo_unreadable", "photo_unreadable", serial_failures=1)
    asked, _ = asyncio.run(run(ActionAskSerial(), t))
    assert asked == []  # the tip said what to send


def test_the_second_unreadable_photo_offers_a_person(action_db):
    _, slots = form(action_db["sender_id"], "/photo_unreadable", "photo_unreadable", serial_failures=1)
    assert slots["serial_status"] == "failed" and slots["serial_failures"] == 2
    t = photo_tracker(action_db["sender_id"], "/photo_unreadable", "photo_unreadable", serial_status="failed")
    said, outcome = asyncio.run(run(ActionRecallOutcome(), t))
    assert said == [
        "I still couldn't read the serial number on your photos. Would you like a person from our team to help? "
        "Reply YES, or type the serial number."
    ]
    assert outcome["human_offered"] is True
