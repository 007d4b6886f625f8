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
    ClaimStatus,
    Direction,
    Disposition,
    EscalationStatus,
    GoodwillKind,
    MessageStatus,
    PhotoReading,
    Priority,
    Remedy,
    RequestKind,
    RequestStatus,
    Verification,
)
from bot.models.goodwill import GoodwillClaim
from bot.models.importing import ImportRun
from bot.models.messaging import Message, OutreachAttempt
from bot.models.photos import LabelPhoto
from bot.models.remedy import Booking, BookingUnit, Feedback, RemedyRequest, ServiceSlot
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
    "BookingUnit",
    "BookingKind",
    "BookingStatus",
    "Campaign",
    "Channel",
    "ClaimStatus",
    "Conversation",
    "Customer",
    "Direction",
    "Disposition",
    "Escalation",
    "Feedback",
    "EscalationStatus",
    "GoodwillClaim",
    "GoodwillKind",
    "ImportRun",
    "LabelPhoto",
    "Message",
    "MessageStatus",
    "PhotoReading",
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
