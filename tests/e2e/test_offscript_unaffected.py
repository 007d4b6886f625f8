"""Units outside the recall, told off the script, end to end: an owner who reports a fault is
not told only "nothing to do", a remedy asked for an unaffected unit is explained, and a second
unit outside the recall never drops the affected unit's fix that is being arranged."""

from __future__ import annotations

import pytest

from bot.campaigns.definition import read_definition
from bot.conversation import texts
from bot.conversation.catalog import speaking
from bot.settings import PROJECT_ROOT

# Conversations only: SQLite (PostgreSQL runs the scripted ones in test_conversations.py).
pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]

ADDRESS_QUESTION = "Is this the right address for the visit?"
TIMES = "These are the next free times a technician can visit"
# The demo recall's texts in Hinglish: what a customer who writes Hinglish is answered with.
HINGLISH = read_definition(PROJECT_ROOT / "demo" / "campaign.yml").localized("hi-Latn")


def test_an_unaffected_serial_with_a_fault_is_not_dismissed(dialogue):
    """Fatima's unit is outside the recall, but she says it is not cooling, in Hinglish: she is
    told the recall does not cover it and how to get help, not only that there is nothing to do.
    She wrote Hinglish, so she is told in Hinglish (the catalog's hi-Latn texts)."""
    phone = "+919812300017"
    with speaking("hi-Latn"):
        not_affected = texts.serial_not_affected(HINGLISH, "AR26B123456")
        help_offered = texts.not_affected_but_faulty(HINGLISH)
    chat = dialogue.chat(phone)
    chat.say("hi")
    reply = chat.say("AR26B123456 mera fridge thanda nahi kar rha")
    assert not_affected in reply, reply
    assert help_offered in reply and "PERSON" in help_offered, reply
    assert dialogue.units_affected(phone) == {"AR26B123456": False}
    assert dialogue.customer(phone)["escalation"] is None  # help offered, nobody handed over on a guess


def test_a_repair_asked_for_an_unaffected_unit_then_a_fault(dialogue):
    """Vikram's unit is fine by the recall; he asks for the repair anyway, then says it is not
    cooling: neither "send your second refrigerator's serial" (he has one) nor "good to hear it works"."""
    phone = "+919812300002"
    chat = dialogue.chat(phone)
    chat.say("hi")
    assert "AR26B000123 is not affected" in chat.say("AR26B000123")
    keep = chat.say("no wait keep the repair")
    assert "AR26B000123 is not part of this recall" in keep and "reply PERSON" in keep
    assert "second" not in keep and "couldn't find a serial" not in keep
    fault = chat.say("but its not cooling properly")
    assert "service team can still help" in fault
    assert "Good to hear it works" not in fault and "second" not in fault
    view = dialogue.customer(phone)
    assert view["verified"] is True and view["affected"] is False and view["remedy"] is None
    assert view["booking"] is None and view["escalation"] is None


def test_a_fine_second_unit_at_the_address_step_keeps_the_first_units_repair(dialogue):
    """Asha chose the repair for her affected unit; at the address question she sends the serial
    of another one, which is fine: the repair stays chosen and the address is asked again."""
    phone = "+919812300001"
    chat = dialogue.chat(phone)
    chat.say("hi")
    assert "AR26D004512 is one of the affected" in chat.say("AR26D004512")
    assert ADDRESS_QUESTION in chat.say("1")
    other = chat.say("also i have AR26B000999")
    assert "AR26B000999 is not affected" in other and ADDRESS_QUESTION in other
    assert "If you have another unit" not in other  # the conversation is not closed
    assert TIMES in chat.say("yes")
    assert dialogue.units_affected(phone) == {"AR26D004512": True, "AR26B000999": False}


def test_back_to_the_repair_at_the_replacement_question_after_a_fine_unit(dialogue):
    """Meera switches to a replacement, sends a fine unit's serial at its confirmation, then says
    "no wait keep the repair": the repair it is, and its times are offered (not the menu again)."""
    phone = "+919812300005"
    chat = dialogue.chat(phone)
    chat.say("hi")
    chat.say("AR26E120034")
    chat.say("1")
    assert TIMES in chat.say("yes")
    assert "Reply YES to confirm" in chat.say("actually i want a replacement")
    fine = chat.say("AR26B000555")
    assert "AR26B000555 is not affected" in fine and "Reply YES to confirm" in fine  # asked again
    keep = chat.say("no wait keep the repair")
    assert "instead: Free repair at your home" in keep and TIMES in keep
    assert "Which would you like?" not in keep
    view = dialogue.customer(phone)
    assert view["booking"] is None and view["escalation"] is None


def test_not_cooling_after_an_affected_serial_is_the_recall_fault(dialogue):
    """Kavya's unit is affected; at the remedy question she says it is not cooling (the classifier
    reads "it works"): told it is very likely the recall's fault, fixed free; the question stays."""
    chat = dialogue.chat("+919812300007")
    chat.say("hi")
    assert "AR26F000777 is one of the affected" in chat.say("AR26F000777")
    reply = chat.say("its not cooling properly")
    assert "very likely the fault this recall fixes" in reply and "Good to hear it works" not in reply
    assert "1. Free repair at your home" in reply
    assert ADDRESS_QUESTION in chat.say("1")
