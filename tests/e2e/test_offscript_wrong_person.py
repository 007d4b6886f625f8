"""Nothing irreversible on a guess (issue 16, item 1), end to end: an owner who writes in
their own words is never dropped as a wrong person, and a real wrong number is asked first;
only its yes stops contact. Real Rasa server, action server and database (both engines)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.campaigns.definition import read_definition
from bot.conversation import texts
from bot.conversation.catalog import speaking
from bot.db import make_engine, make_session_factory
from bot.models import AuditEvent, Customer
from bot.settings import PROJECT_ROOT
from tests.support.irreversible import CANCELLED, WRONG_PERSON, outcomes, watch_of

# Conversations only: SQLite (PostgreSQL runs the scripted ones in test_conversations.py).
pytestmark = [
    pytest.mark.rasa,
    pytest.mark.gateway,  # as the phones talk: the simulator, the signed webhook, the gateway worker
    pytest.mark.parametrize("e2e_database", ["sqlite"], indirect=True),
]

DROPPED = "won't contact this number again"
CONFIRM = "Just to check: this number is not the owner of the"
# The demo recall's texts in Hinglish: what a customer who writes Hinglish is answered with.
HINGLISH = read_definition(PROJECT_ROOT / "demo" / "campaign.yml").localized("hi-Latn")
with speaking("hi-Latn"):
    DROPPED_HINGLISH = texts.wrong_person(HINGLISH)
    CONFIRM_HINGLISH = texts.confirm_wrong_person(HINGLISH)


def dropped(dialogue, phone: str) -> bool:
    """The database says the number is a wrong person (no more outreach) — or an audit says so."""
    with make_session_factory(make_engine(dialogue.database_url))() as session:
        customer = session.scalar(select(Customer).where(Customer.phone == phone))
        audits = session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.customer_id == customer.id, AuditEvent.action == "customer.wrong_person"
            )
        )
        return customer.wrong_person_at is not None or audits > 0


def test_two_fridges_bought_in_may_is_an_owner_and_goes_on_to_the_serial(dialogue):
    chat = dialogue.chat("+919812300003")
    reply = chat.say("hi, I have two of your fridges, both bought in May")
    assert DROPPED not in reply and CONFIRM not in reply
    assert "serial number" in reply
    assert not dropped(dialogue, "+919812300003")
    assert "AR26D004513 is one of the affected" in chat.say("first one is ar26-d 004513")


def test_hinglish_not_cooling_is_an_owner(dialogue):
    """Meera writes Hinglish: answered in Hinglish, asked for the serial, never dropped or asked."""
    chat = dialogue.chat("+919812300005")
    reply = chat.say("mera fridge thanda nahi kar raha")
    assert DROPPED_HINGLISH not in reply and CONFIRM_HINGLISH not in reply
    assert DROPPED not in reply and CONFIRM not in reply
    with speaking("hi-Latn"):
        assert texts.ask_serial(HINGLISH) in reply, reply
    assert not dropped(dialogue, "+919812300005")


def test_a_real_wrong_number_is_asked_first_and_its_yes_stops_contact(dialogue):
    chat = dialogue.chat("+919812300021")
    question = chat.say("wrong number, I don't know any fridge")
    assert CONFIRM in question and "Reply YES to stop messages" in question and DROPPED not in question
    assert not dropped(dialogue, "+919812300021")
    assert DROPPED in chat.say("yes")
    assert dropped(dialogue, "+919812300021")
    # The irreversible-outcome check (tests/support/irreversible.py) sees it, and its confirmation.
    watch = watch_of(dialogue)
    with watch.session() as session:
        ids = [o.customer_id for o in outcomes(session) if o.kind == WRONG_PERSON]
        customer_id = session.scalar(select(Customer.id).where(Customer.phone == "+919812300021"))
    assert customer_id in ids
    assert customer_id not in [o.customer_id for o in watch.unconfirmed(set())]


def test_no_its_my_mothers_fridge_goes_on_with_the_recall(dialogue):
    chat = dialogue.chat("+919812300022")
    assert CONFIRM in chat.say("wrong number, I don't know any fridge")
    reply = chat.say("no actually it's my mother's fridge")
    assert DROPPED not in reply and "serial number" in reply
    assert "is one of the affected" in chat.say("AR26F 101010")
    assert not dropped(dialogue, "+919812300022")


def test_not_my_fridge_in_the_middle_of_the_form_then_no_goes_back_to_the_question(dialogue):
    chat = dialogue.chat("+919812300023")
    assert "1. Free repair at your home" in chat.say("AR26D005000")
    assert CONFIRM in chat.say("hmm this is not my fridge i think")
    reply = chat.say("no")
    assert DROPPED not in reply and "1. Free repair at your home" in reply
    assert not dropped(dialogue, "+919812300023")


def test_anything_else_after_the_question_carries_on_and_a_later_yes_drops_nobody(dialogue):
    chat = dialogue.chat("+919812300029")
    assert CONFIRM in chat.say("i dont have it anymore")
    menu = chat.say("oh wait its here, AR26 E 300400")
    assert "is one of the affected" in menu and DROPPED not in menu
    assert DROPPED not in chat.say("1")
    assert DROPPED not in chat.say("yes")  # the address question, not the wrong-person one
    assert not dropped(dialogue, "+919812300029")


def test_a_cancellation_comes_after_its_question_and_the_check_sees_both(dialogue):
    chat = dialogue.chat("+919812300024")
    with speaking("hi-Latn"):  # "... hai mera" is Hinglish: so is the reply
        assert texts.serial_affected(HINGLISH, "AR26E000700") in chat.say("ar26 e 000700 hai mera")
    assert "Andheri East" in chat.say("repair pls")
    assert "1. " in chat.say("ya")
    assert "RP-" in chat.say("1")
    question = chat.say("actually cancel the visit, i will call later")
    assert "Reply YES to cancel" in question
    assert dialogue.customer("+919812300024")["booking"]["status"] == "booked"  # nothing yet
    assert "cancelled" in chat.say("yes cancel")
    assert dialogue.customer("+919812300024")["booking"]["status"] == "cancelled"
    watch = watch_of(dialogue)
    with watch.session() as session:
        customer_id = session.scalar(select(Customer.id).where(Customer.phone == "+919812300024"))
        assert customer_id in [o.customer_id for o in outcomes(session) if o.kind == CANCELLED]
    assert customer_id not in [o.customer_id for o in watch.unconfirmed(set())]
