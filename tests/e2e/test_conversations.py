"""The recall conversation end to end: real Rasa server, real action server, real
database (SQLite and PostgreSQL), driven through Rasa's HTTP API."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from bot.db import make_engine, make_session_factory
from bot.followup.job import INTENTS, RasaTrigger
from bot.models import (
    AuditEvent,
    Booking,
    BookingStatus,
    Conversation,
    Customer,
    Escalation,
    Feedback,
    Remedy,
    utcnow,
)
from bot.services.completion import record_visit_outcome

pytestmark = pytest.mark.rasa

REFERENCE = re.compile(r"\b(RP|PU|RL|RF)-[A-Z2-9]{6}\b")


def reference_in(reply: str) -> str:
    match = REFERENCE.search(reply)
    assert match, f"no booking reference in: {reply}"
    return match.group(0)


def customer_row(dialogue, phone: str) -> Customer:
    with make_session_factory(make_engine(dialogue.database_url))() as session:
        return session.scalar(select(Customer).where(Customer.phone == phone))


def test_affected_customer_books_a_repair(dialogue):
    chat = dialogue.chat("+919812300001")
    first = chat.say("hi")
    assert "sorry" in first.lower() and "Thank you for choosing Arctica Appliances" in first
    assert "serial number" in first and "label inside the door" in first
    reply = chat.say("sr no ar26-d 004512")
    assert "AR26D004512 is one of the affected" in reply
    assert "1. Free repair at your home" in reply and "3. A full refund" in reply
    assert "12 FC Road" in chat.say("1")  # address on file, to confirm
    slots = chat.say("yes")
    assert "1. " in slots and "3. " in slots
    booked = chat.say("2")
    reference = reference_in(booked)
    assert reference.startswith("RP-") and "free of charge" in booked
    assert "extend the warranty" in booked and "12 months" in booked
    view = dialogue.customer("98123 00001")
    assert view["booking"]["reference"] == reference and view["booking"]["status"] == "booked"
    assert view["booking"]["start"].endswith("+05:30")  # the customer's timezone
    assert view["remedy"] == "repair" and view["verified"] is True and view["affected"] is True


def test_affected_customer_asks_for_a_refund(dialogue):
    chat = dialogue.chat("+919812300010")
    chat.say("hello")
    assert "affected" in chat.say("AR26G999001")
    confirm = chat.say("3")
    assert "refund" in confirm.lower() and "YES" in confirm
    assert "Is this the right address" in chat.say("yes")
    chat.say("yes")
    done = chat.say("1")
    reference = reference_in(done)
    assert reference.startswith("RF-") and "refund" in done.lower()
    view = dialogue.customer("+919812300010")
    assert view["remedy"] == "refund" and view["booking"]["kind"] == "pickup"


def test_affected_customer_asks_for_a_replacement_before_giving_the_serial(dialogue):
    chat = dialogue.chat("+919812300012")
    first = chat.say("i want a replacement")
    assert "serial number" in first
    confirm = chat.say("AR26E000042")
    assert "affected" in confirm and "replacement" in confirm.lower() and "YES" in confirm
    chat.say("yes")
    chat.say("yes")
    done = chat.say("1")
    assert reference_in(done).startswith("RL-")
    view = dialogue.customer("+919812300012")
    assert view["remedy"] == "replacement" and view["booking"]["kind"] == "pickup"


def test_unaffected_customer_is_reassured(dialogue):
    chat = dialogue.chat("+919812300002")
    reply = chat.say("my serial is AR26B000123")
    assert "not affected" in reply and "nothing you need to do" in reply
    view = dialogue.customer("+919812300002")
    assert view["verified"] is True and view["affected"] is False and view["booking"] is None


def test_a_message_nothing_answers_gets_one_reply_not_ten(dialogue):
    """ "yes" once the recall is settled: RulePolicy's core fallback. It used to be predicted
    again and again until Rasa's limit, ten "Sorry" in one SMS (seen on a fresh deployment)."""
    chat = dialogue.chat("+919812300002")
    chat.say("hi")
    assert "not affected" in chat.say("AR26B000123")
    reply = chat.say("yes")
    assert reply.count("another way") == 1, reply
    assert reply.count("person") <= 1 and "person" in chat.say("yes"), "the second miss offers a person, once"


def test_malformed_serial_twice_offers_a_person_and_records_the_request(dialogue):
    chat = dialogue.chat("+919812300014")
    chat.say("hi")
    first = chat.say("AR26 12345")
    assert "doesn't look like a serial number" in first and "AR26C000001" in first
    second = chat.say("serial XY99Z123456")
    assert "person" in second and "YES" in second
    handed = chat.say("yes")
    assert "person from our team" in handed
    assert dialogue.customer("+919812300014")["escalation"]["status"] == "open"


def test_question_in_the_middle_of_booking_then_back(dialogue):
    chat = dialogue.chat("+919812300015")
    chat.say("AR26-D-004800")
    assert "right address" in chat.say("1")
    answer = chat.say("is it safe to keep using the fridge?")
    assert "not a fire or electrical risk" in answer
    assert "right address" in answer  # and the form asks its question again
    slots = chat.say("yes")
    assert "Reply with a number" in slots
    assert reference_in(chat.say("the second one")).startswith("RP-")


def test_reschedule_keeps_the_reference(dialogue):
    chat = dialogue.chat("+919812300016")
    chat.say("ar26d004801")
    chat.say("repair")
    chat.say("yes")
    reference = reference_in(chat.say("1"))
    before = dialogue.customer("+919812300016")["booking"]["start"]
    offer = chat.say("can i change the appointment time")
    assert "Reply with a number" in offer
    moved = chat.say("3")
    assert reference in moved and "now" in moved
    after = dialogue.customer("+919812300016")["booking"]
    assert after["reference"] == reference and after["start"] != before and after["status"] == "booked"


def test_cancel_a_booking(dialogue):
    chat = dialogue.chat("+919812300019")
    chat.say("AR26D 004900")
    chat.say("1")
    chat.say("yes")
    reference = reference_in(chat.say("1"))
    question = chat.say("please cancel my booking")
    assert reference in question and "YES" in question
    assert "cancelled" in chat.say("yes")
    assert dialogue.customer("+919812300019")["booking"]["status"] == "cancelled"


def test_wrong_person_is_recorded(dialogue):
    chat = dialogue.chat("+919812300020")
    assert "Reply YES to stop messages" in chat.say("wrong number, i never bought any fridge")  # asked first
    reply = chat.say("yes")
    assert "won't contact this number again" in reply
    assert customer_row(dialogue, "+919812300020").wrong_person_at is not None


def test_unknown_number_with_a_valid_serial_is_served(dialogue):
    chat = dialogue.chat("+919812399999")
    reply = chat.say("my serial is AR26E000777")
    assert "AR26E000777 is one of the affected" in reply
    assert "full address" in chat.say("1")
    slots = chat.say("Flat 4B, Rose Villa, Baner Road, Pune 411045")
    assert "Reply with a number" in slots
    assert reference_in(chat.say("1")).startswith("RP-")
    view = dialogue.customer("+919812399999")
    assert view["serial"] == "AR26E000777" and view["booking"]["status"] == "booked"


def test_near_miss_asks_did_you_mean(dialogue):
    chat = dialogue.chat("+919812300005")
    assert "Did you mean AR26E120034?" in chat.say("AR26E120043")
    assert "AR26E120034 is one of the affected" in chat.say("yes")


def test_serial_on_file_under_another_phone_is_served_without_disclosure(dialogue):
    owner = customer_row(dialogue, "+919812300006")
    chat = dialogue.chat("+919812300009")
    reply = chat.say("AR26E120035")
    assert "is one of the affected" in reply
    for private in (owner.name, owner.phone, owner.address or "", owner.phone[-4:]):
        assert private and private not in reply
    assert "another customer" in (customer_row(dialogue, "+919812300009").flagged_for_agent or "")


def test_not_understood_twice_offers_a_person(dialogue):
    chat = dialogue.chat("+919812300021")
    chat.say("hi")
    assert "another way" in chat.say("what is the cricket score today")
    assert "person" in chat.say("who won the match yesterday")


def test_hazard_report_is_urgent(dialogue):
    chat = dialogue.chat("+919812300022")
    reply = chat.say("there is a burning smell and smoke coming from the fridge")
    assert "urgently" in reply
    with make_session_factory(make_engine(dialogue.database_url))() as session:
        escalation = session.scalar(select(Escalation).join(Customer).where(Customer.phone == "+919812300022"))
    assert escalation.priority.value == "urgent" and "burning smell" in escalation.trigger_text


def test_shouting_mid_form_escalates_with_the_signals_recorded(dialogue):
    """The classifier alone reads this as a question about timing; HandoffSignals sees the
    shouting and the "!!!" and makes it a complaint; the escalation's audit entry keeps
    what it saw."""
    chat = dialogue.chat("+919812300023")
    chat.say("AR26-D-004801")
    reply = chat.say("HOW LONG DO I HAVE TO WAIT FOR THIS!!!")
    assert "person from our team" in reply
    with make_session_factory(make_engine(dialogue.database_url))() as session:
        customer_id = session.scalar(select(Customer.id).where(Customer.phone == "+919812300023"))
        escalation = session.scalar(select(Escalation).where(Escalation.customer_id == customer_id))
        audit = session.scalar(
            select(AuditEvent).where(AuditEvent.customer_id == customer_id, AuditEvent.action == "escalation.recorded")
        )
    assert escalation.reason == "complain" and escalation.priority.value == "high"
    assert "shouting" in audit.detail["signals"]["reasons"] and "!!!" in audit.detail["signals"]["reasons"]


BROKEN_PHONE = "+919812300026"
# A database that refuses to update this one customer (as a disk or a lost connection would).
REFUSE_UPDATES = {
    "sqlite": [
        f"CREATE TRIGGER refuse_updates BEFORE UPDATE ON customers WHEN OLD.phone = '{BROKEN_PHONE}' "
        "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_update() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'disk I/O error'; END $$",
        f"CREATE TRIGGER refuse_updates BEFORE UPDATE ON customers FOR EACH ROW "
        f"WHEN (OLD.phone = '{BROKEN_PHONE}') EXECUTE FUNCTION refuse_update()",
    ],
}
ALLOW_UPDATES = {  # the dialogue stack serves later modules: the fault goes with the test
    "sqlite": ["DROP TRIGGER IF EXISTS refuse_updates"],
    "postgresql": ["DROP TRIGGER IF EXISTS refuse_updates ON customers", "DROP FUNCTION IF EXISTS refuse_update()"],
}


def _run_statements(engine, statements: list[str]) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def test_an_action_failing_mid_form_apologises_and_escalates(dialogue):
    """The serial check's write fails inside the form's validation action: the customer
    hears the apology (and nothing else), the form stops, a person gets the conversation."""
    chat = dialogue.chat(BROKEN_PHONE)
    assert "serial number" in chat.say("hi")
    engine = make_engine(dialogue.database_url)
    _run_statements(engine, REFUSE_UPDATES[engine.dialect.name])
    try:
        reply = chat.say("AR26-C-000333")
    finally:
        _run_statements(engine, ALLOW_UPDATES[engine.dialect.name])
    assert reply.startswith("Sorry, something went wrong on our side. A person from Arctica Appliances will reply")
    assert "\n" not in reply  # the apology alone: no next question
    tracker = chat.tracker()
    assert tracker["active_loop"] in ({}, {"name": None}) and tracker["latest_action_name"] == "action_listen"
    with make_session_factory(engine)() as session:
        escalation = session.scalar(select(Escalation).join(Customer).where(Customer.phone == BROKEN_PHONE))
        paused = session.scalar(select(Conversation.bot_paused).join(Customer).where(Customer.phone == BROKEN_PHONE))
    assert (escalation.reason, escalation.priority.value) == ("system_error", "high") and paused is True


# ---------------------------------------------------------------------- after the visit
# The follow-up job's external intents (bot/followup/job.py) start feedback_form and the
# rebooking; the customer answers through Rasa's REST channel.


def db_transaction(dialogue):
    return make_session_factory(make_engine(dialogue.database_url)).begin()


def trigger(dialogue, chat, kind: str) -> str:
    rasa = RasaTrigger(dialogue.stack.rasa_url, dialogue.stack.rasa_token)
    try:
        return "\n".join(rasa.trigger(chat.sender_id, INTENTS[kind]))
    finally:
        rasa.close()


def completed(dialogue, phone: str) -> None:
    with db_transaction(dialogue) as s:
        s.execute(update(Customer).where(Customer.phone == phone).values(completed_at=utcnow(), remedy=Remedy.REPAIR))


def test_feedback_five_and_a_comment(dialogue):
    chat = dialogue.chat("+919812300029")
    completed(dialogue, chat.phone)
    question = trigger(dialogue, chat, "feedback")
    assert question.endswith("How did the repair go? Reply with a number from 1 (bad) to 5 (great).")
    assert "Hello" not in question  # no introduction: the customer knows us by now
    assert "How did it go?" in chat.say("hmm")  # no number: asked again
    assert "anything you'd like to tell us" in chat.say("five")
    assert (
        chat.say("The technician was quick and polite")
        == "Thank you for your feedback, and for choosing Arctica Appliances."
    )
    with db_transaction(dialogue) as s:
        row = s.scalar(select(Feedback).join(Customer).where(Customer.phone == chat.phone))
        assert (row.score, row.comment) == (5, "The technician was quick and polite")


def test_a_1_alone_is_a_score_not_a_menu_choice(dialogue):
    chat = dialogue.chat("+919812300031")
    completed(dialogue, chat.phone)
    trigger(dialogue, chat, "feedback")
    reply = chat.say("1")
    assert "sorry it didn't go well" in reply and "person from our team" in reply
    with db_transaction(dialogue) as s:
        escalation = s.scalar(select(Escalation).join(Customer).where(Customer.phone == chat.phone))
        assert (escalation.reason, escalation.priority.value, escalation.trigger_text) == ("low_feedback", "high", "1")


def book_first_visit(chat, serial: str) -> str:
    """Greeting, serial, a repair at the address on file, the first slot: the reference."""
    for text in ("hi", serial, "1", "yes"):
        chat.say(text)
    return reference_in(chat.say("1"))


def test_a_failed_visit_is_booked_again(dialogue):
    chat = dialogue.chat("+919812300030")
    first = book_first_visit(chat, "AR26D 005200")
    with db_transaction(dialogue) as s:
        s.execute(update(Booking).where(Booking.reference == first).values(status=BookingStatus.FAILED))
    offer = trigger(dialogue, chat, "rebook")
    assert f"your repair visit {first} could not be completed" in offer and "Reply with a number" in offer
    booked = chat.say("2")
    second = reference_in(booked)
    assert second != first and "free of charge" in booked and "extend the warranty" not in booked
    view = dialogue.customer(chat.phone)
    assert view["booking"]["reference"] == second and view["booking"]["status"] == "booked"


def test_after_the_repair_the_bot_does_not_start_over(dialogue):
    chat = dialogue.chat("+919812300033")
    reference = book_first_visit(chat, "AR26D 005210")
    with db_transaction(dialogue) as s:
        assert record_visit_outcome(s, reference, "completed", actor="technician", now=utcnow()).ok
    reply = chat.say("hi")
    assert "The fix for your Arctica FrostFree 260L refrigerator is complete" in reply
    assert "Reply with a number" not in reply and "Which would you like" not in reply
