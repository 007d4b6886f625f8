"""While a person has the conversation (an escalation in progress), the bot is silent:
the customer's messages are stored for the console, nothing goes to Rasa, nothing is
sent on the bot's behalf; the opt-out keywords still work. Handing back resumes the bot."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.models import Customer, Direction, Escalation, EscalationStatus, Message
from bot.services.escalations import hand_back, record_escalation

PHONE = "+919812300001"


def _escalate(gateway) -> int:
    gateway.inbound("hello")
    gateway.settle()
    with gateway.factory.begin() as s:
        customer_id = s.scalar(select(Customer.id).where(Customer.phone == PHONE))
        record_escalation(s, customer_id=customer_id, reason="complain", text="this is useless!!!")
    return customer_id


def test_ten_messages_while_escalated_get_no_bot_reply(gateway):
    customer_id = _escalate(gateway)
    turns, sent = len(gateway.rasa.turns), len(gateway.sender.sent)
    for n in range(10):
        assert (
            gateway.inbound(
                f"hello? anyone there {n}", media=[("https://x.test/p.jpg", "image/jpeg")] * (n % 2)
            ).status_code
            == 200
        )
    gateway.settle()
    assert len(gateway.rasa.turns) == turns and len(gateway.sender.sent) == sent  # 0 replies, 0 turns
    with gateway.factory() as s:
        stored = s.scalar(
            select(func.count())
            .select_from(Message)
            .where(
                Message.customer_id == customer_id,
                Message.direction == Direction.INBOUND,
                Message.processed_at.is_not(None),
            )
        )
        assert stored == 11  # the first message and the ten, all kept for the console


def test_keywords_still_work_while_escalated(gateway):
    _escalate(gateway)
    sent = len(gateway.sender.sent)
    gateway.inbound("help")
    gateway.settle()
    assert len(gateway.sender.sent) == sent + 1 and "STOP" in gateway.sender.sent[-1]["body"]


def test_handing_back_lets_the_bot_answer_again(gateway):
    customer_id = _escalate(gateway)
    gateway.inbound("still there?")
    gateway.settle()
    with gateway.factory.begin() as s:
        assert hand_back(s, customer_id, actor="agent@example.com") is True
        assert hand_back(s, customer_id, actor="agent@example.com") is False  # nothing in progress now
        assert s.scalar(select(Escalation.status)) is EscalationStatus.HANDED_BACK
    gateway.inbound("my serial is AR26D004512")
    gateway.settle()
    assert gateway.rasa.turns[-1][1] == "my serial is AR26D004512"
    assert gateway.sender.sent[-1]["body"] == "echo: my serial is AR26D004512"
