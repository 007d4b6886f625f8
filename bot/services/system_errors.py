"""A failure of ours in the middle of a conversation (a custom action raising, the action
server down): the customer hears an apology, and a person takes over like after any
other escalation (reason `system_error`, priority high; the bot is paused)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.campaigns.definition import CampaignDefinition
from bot.conversation import texts
from bot.services.escalations import EscalationView, record_escalation

REASON = "system_error"


def apology(d: CampaignDefinition | None, now: dt.datetime) -> str:
    """'Sorry, something went wrong on our side. A person from <brand> will reply to you here <when>.'"""
    if d is None:
        return texts.system_error_without_campaign()
    return texts.escalated(d, REASON, texts.reply_expectation(now, d.service.timezone, d.support_hours.hours()))


def record_system_error(
    session: Session, *, customer_id: int, text: str | None, failure: str, message_id: int | None = None
) -> EscalationView:
    """Escalate (and pause the bot); `failure` says what failed, for the audit log."""
    return record_escalation(
        session, customer_id=customer_id, reason=REASON, text=text, message_id=message_id, signals={"failure": failure}
    )
