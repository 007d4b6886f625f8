"""A photo sent while a goodwill claim waits for its receipt becomes that receipt (the
gateway, bot/services/goodwill.py): answered by the gateway itself, or attached silently
while a person has the conversation."""

from decimal import Decimal

from sqlalchemy import select

from bot.db import run_in_write_transaction
from bot.models import Customer, GoodwillClaim, GoodwillKind, Message, utcnow
from bot.services.escalations import record_escalation
from bot.services.goodwill import record_claim

PHOTO = [("https://api.twilio.com/media/ME7", "image/jpeg")]


def _claim(gateway) -> str:
    gateway.inbound("hello")  # the customer and the conversation
    gateway.settle()

    def work(s):
        customer_id = s.scalar(select(Customer.id).where(Customer.phone == "+919812300001"))
        return record_claim(
            s,
            customer_id=customer_id,
            kind=GoodwillKind.SPOILED_FOOD,
            text="milk spoiled, rs 400",
            amount=Decimal("400"),
            now=utcnow(),
            receipt_required=True,
        ).claim.reference

    return run_in_write_transaction(gateway.factory, work)


def test_a_photo_becomes_the_receipt_of_the_waiting_claim(gateway):
    reference = _claim(gateway)
    gateway.inbound("", media=PHOTO)
    gateway.settle()
    assert gateway.sender.sent[-1]["body"] == (
        f"Thanks, the photo is added to your claim {reference}. A person from our team reviews it and replies here."
    )
    with gateway.factory() as s:
        photo = s.scalar(select(Message.id).where(Message.num_media == 1))
        assert s.scalar(select(GoodwillClaim.receipt_message_id)) == photo
    gateway.inbound("", media=[("https://api.twilio.com/media/ME8", "image/jpeg")])  # nothing waits any more
    gateway.settle()
    assert "photo is added" not in gateway.sender.sent[-1]["body"]


def test_with_a_person_the_photo_is_attached_and_nothing_is_sent(gateway):
    _claim(gateway)

    def escalate(s):
        customer_id = s.scalar(select(Customer.id).where(Customer.phone == "+919812300001"))
        record_escalation(s, customer_id=customer_id, reason="request_human", text="a person please")

    run_in_write_transaction(gateway.factory, escalate)
    sent = len(gateway.sender.sent)
    gateway.inbound("here is the bill", media=PHOTO)
    gateway.settle()
    assert len(gateway.sender.sent) == sent
    with gateway.factory() as s:
        assert s.scalar(select(GoodwillClaim.receipt_message_id)) is not None
