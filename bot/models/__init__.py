"""The data model. Import from here: `from bot.models import Campaign, Customer, ...`."""

from bot.models.base import Base, utcnow
from bot.models.campaign import AffectedRange, Campaign, ServiceRegion
from bot.models.customer import Conversation, Customer, OptOut, Unit
from bot.models.enums import (
    AgentRole,
    AttemptStatus,
    Author,
    BookingKind,
    BookingStatus,
    Channel,
    Direction,
    EscalationStatus,
    MessageStatus,
    Priority,
    Remedy,
    RequestKind,
    RequestStatus,
    Verification,
)
from bot.models.importing import ImportRun
from bot.models.messaging import Message, OutreachAttempt
from bot.models.remedy import Booking, Feedback, RemedyRequest, ServiceSlot
from bot.models.support import Agent, AuditEvent, Escalation, Note

__all__ = [
    "AffectedRange",
    "Agent",
    "AgentRole",
    "AttemptStatus",
    "AuditEvent",
    "Author",
    "Base",
    "Booking",
    "BookingKind",
    "BookingStatus",
    "Campaign",
    "Channel",
    "Conversation",
    "Customer",
    "Direction",
    "Escalation",
    "Feedback",
    "EscalationStatus",
    "ImportRun",
    "Message",
    "MessageStatus",
    "Note",
    "OptOut",
    "OutreachAttempt",
    "Priority",
    "Remedy",
    "RemedyRequest",
    "RequestKind",
    "RequestStatus",
    "ServiceRegion",
    "ServiceSlot",
    "Unit",
    "Verification",
    "utcnow",
]
