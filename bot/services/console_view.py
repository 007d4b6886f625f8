"""What the console shows that belongs to no other service: lists for its pages, the
version stamps its live updates compare, a customer's reply route and photos, and the
audit trail of what agents do."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.campaigns.definition import parse_definition
from bot.domain.languages import language_name
from bot.domain.reply_route import ReplyRoute, reply_route
from bot.models import Agent, AuditEvent, Booking, Campaign, Conversation, Customer, Feedback, Message, utcnow


def agents_by_email(session: Session) -> Sequence[Agent]:
    return session.scalars(select(Agent).order_by(Agent.email)).all()


def campaigns_newest_first(session: Session) -> Sequence[Campaign]:
    return session.scalars(select(Campaign).order_by(Campaign.created_at.desc())).all()


def record_audit(session: Session, actor: str, action: str, customer_id: int | None = None, **detail: Any) -> None:
    """One line of the audit trail (who did what, to whom)."""
    session.add(AuditEvent(actor=actor, action=action, customer_id=customer_id, detail=detail))


def activity_version(session: Session) -> tuple[Any, ...]:
    """Moves whenever anything a dashboard counts may have changed: a few maxima (a
    customer's row is stamped on every change)."""
    return tuple(
        session.execute(
            select(
                select(func.max(Message.id)).scalar_subquery(),
                select(func.max(AuditEvent.id)).scalar_subquery(),
                select(func.max(Customer.updated_at)).scalar_subquery(),
                select(func.max(Booking.updated_at)).scalar_subquery(),
                select(func.max(Feedback.id)).scalar_subquery(),
                select(func.max(Feedback.answered_at)).scalar_subquery(),
            )
        ).one()
    ) + (utcnow().date(),)


def reply_route_for(session: Session, customer: Customer) -> ReplyRoute:
    """The channel an agent's reply goes on now (SMS outside WhatsApp's 24-hour window)."""
    conversation = session.scalar(select(Conversation).where(Conversation.customer_id == customer.id))
    return reply_route(
        conversation.last_channel.value if conversation and conversation.last_channel else None,
        conversation.whatsapp_last_inbound_at if conversation else None,
        utcnow(),
        whatsapp_unreachable=customer.whatsapp_unreachable,
        sms_unreachable=customer.sms_unreachable,
    )


def language_view(session: Session, customer: Customer) -> dict[str, Any]:
    """The customer's language as the console shows it: the one they are written to in
    (theirs, or the campaign's default), how it is known, and the campaign's languages
    an agent may set."""
    campaign = session.get(Campaign, customer.campaign_id)
    assert campaign is not None
    definition = parse_definition(campaign.definition, campaign.slug)
    code = definition.language_for(customer.language)
    source = customer.language_source.value if customer.language_source and customer.language == code else None
    return {
        "code": code,
        "name": language_name(code),
        "source": source,  # None: the campaign's default
        "choices": [(language, language_name(language)) for language in definition.languages],
    }


def photo_url(session: Session, customer_id: int, message_id: int, index: int) -> str | None:
    """Where Twilio keeps photo `index` of the customer's message, or None if there is none."""
    message = session.get(Message, message_id)
    if message is None or message.customer_id != customer_id or not 0 <= index < len(message.media or []):
        return None
    return str(message.media[index].get("url") or "")
