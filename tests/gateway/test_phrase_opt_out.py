"""An opt-out in the customer's own words ("stop texting me please") through the gateway
with stand-ins for Rasa and Twilio: recorded like STOP, with the bot and while a person
has the conversation, confirmed by the app on SMS too (Twilio acts only on its exact
keywords), then silence until START."""

from __future__ import annotations

from sqlalchemy import select

from bot.messaging.replies import ReplySender
from bot.models import AuditEvent, Channel, Customer, OptOut
from bot.services.escalations import record_escalation
from bot.settings import Settings

PHONE = "+919812300001"


def _opt_out(factory) -> OptOut:
    with factory() as s:
        return s.scalar(select(OptOut).where(OptOut.phone == PHONE))


def test_a_phrase_opts_out_on_sms_and_the_app_confirms_it(gateway):
    gateway.inbound("hi")
    gateway.settle()
    turns, sent = len(gateway.rasa.turns), len(gateway.sender.sent)
    gateway.inbound("stop texting me please")
    gateway.settle()
    assert len(gateway.rasa.turns) == turns  # never reaches Rasa
    [confirmation] = gateway.sender.sent[sent:]
    assert confirmation["channel"] == "sms" and "unsubscribed" in confirmation["body"]
    assert "START" in confirmation["body"]
    row = _opt_out(gateway.factory)
    assert (row.source, row.keyword, row.opted_in_at) == ("phrase", None, None)
    with gateway.factory() as s:
        audit = s.scalar(select(AuditEvent).where(AuditEvent.action == "opt_out"))
        assert audit.actor == "customer" and audit.detail["source"] == "phrase"

    gateway.inbound("AR26D004512")
    gateway.inbound("leave me alone")  # already out: no second confirmation
    gateway.inbound("hello?", channel="whatsapp")
    gateway.settle()
    assert len(gateway.sender.sent) == sent + 1 and len(gateway.rasa.turns) == turns

    gateway.inbound("START")  # Twilio answers START on SMS itself
    gateway.settle()
    assert len(gateway.sender.sent) == sent + 1
    assert _opt_out(gateway.factory).opted_in_at is not None
    gateway.inbound("AR26D004512")
    gateway.settle()
    assert gateway.rasa.turns[-1][1] == "AR26D004512"
    assert gateway.sender.sent[-1]["body"] == "echo: AR26D004512"


def test_a_phrase_opts_out_on_whatsapp(gateway):
    gateway.inbound("Dont message me again!!", channel="whatsapp")
    gateway.settle()
    assert gateway.rasa.turns == []
    [confirmation] = gateway.sender.sent
    assert confirmation["channel"] == "whatsapp" and "START" in confirmation["body"]
    assert _opt_out(gateway.factory).source == "phrase"


def test_a_phrase_opts_out_while_a_person_has_the_conversation(gateway):
    gateway.inbound("hello")
    gateway.settle()
    with gateway.factory.begin() as s:
        customer_id = s.scalar(select(Customer.id).where(Customer.phone == PHONE))
        record_escalation(s, customer_id=customer_id, reason="complain", text="this is useless!!!")
    turns, sent = len(gateway.rasa.turns), len(gateway.sender.sent)
    gateway.inbound("where is the person??")  # for the agent: nothing sent
    gateway.inbound("take me off your list")
    gateway.settle()
    assert len(gateway.rasa.turns) == turns
    [confirmation] = gateway.sender.sent[sent:]
    assert "unsubscribed" in confirmation["body"] and "START" in confirmation["body"]
    assert _opt_out(gateway.factory).source == "phrase"


def test_words_in_another_sense_go_to_the_dialogue(gateway):
    for body in ("the fridge stopped working", "can you stop the booking", "don't message me before 10am"):
        gateway.inbound(body)
    gateway.settle()
    assert [text for _, text in gateway.rasa.turns] == [
        "the fridge stopped working",
        "can you stop the booking",
        "don't message me before 10am",
    ]
    assert _opt_out(gateway.factory) is None


def test_an_agent_reply_after_a_phrase_opt_out_is_not_sent(gateway):
    gateway.inbound("unsubscribe me")
    gateway.settle()
    sent = len(gateway.sender.sent)
    with gateway.factory() as s:
        customer_id = s.scalar(select(Customer.id).where(Customer.phone == PHONE))
    replies = ReplySender(gateway.factory, gateway.sender, Settings(database_url="sqlite://"))
    delivery = replies.deliver(customer_id=customer_id, channel=Channel.SMS, texts=["Hi, this is Meera from Arctica"])
    assert delivery.skipped_opted_out and len(gateway.sender.sent) == sent
