"""The closed vocabularies of the data model (stored as their string values). Those the
domain rules need live in `bot.domain` and are re-exported here."""

from __future__ import annotations

import enum

from bot.domain.channels import Channel as Channel
from bot.domain.dispositions import Disposition as Disposition
from bot.domain.remedy_states import RequestKind as RequestKind
from bot.domain.remedy_states import RequestStatus as RequestStatus


class Direction(str, enum.Enum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class MessageStatus(str, enum.Enum):
    """Twilio's message statuses, plus `received` for inbound messages we stored."""

    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    READ = "read"
    CANCELED = "canceled"
    RECEIVING = "receiving"
    RECEIVED = "received"


class Author(str, enum.Enum):
    """Who wrote a message: the customer, the bot, an agent, outreach, or the system."""

    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"
    OUTREACH = "outreach"
    SYSTEM = "system"


class Remedy(str, enum.Enum):
    REPAIR = "repair"
    REPLACEMENT = "replacement"
    REFUND = "refund"


class BookingKind(str, enum.Enum):
    REPAIR = "repair"
    PICKUP = "pickup"


class BookingStatus(str, enum.Enum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"
    COMPLETED = "completed"
    FAILED = "failed"
    MISSED = "missed"


class AttemptStatus(str, enum.Enum):
    """An outreach attempt is recorded before Twilio is called (`pending`)."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class EscalationStatus(str, enum.Enum):
    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"
    HANDED_BACK = "handed_back"


class Priority(str, enum.Enum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"


class AgentRole(str, enum.Enum):
    AGENT = "agent"
    ADMIN = "admin"


class Verification(str, enum.Enum):
    """Outcome of the customer's serial check."""

    AFFECTED = "affected"
    NOT_AFFECTED = "not_affected"


class GoodwillKind(str, enum.Enum):
    """What a goodwill claim asks for (campaign `goodwill`)."""

    SPOILED_FOOD = "spoiled_food"
    DISCOUNT = "discount"
    OTHER = "other"


class ClaimStatus(str, enum.Enum):
    """A goodwill claim is decided by a person: submitted, then approved or rejected."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class PhotoReading(str, enum.Enum):
    """What came of a photo of the label the bot tried to read (bot/gateway/label_photos.py)."""

    READ = "read"  # a serial was read and offered for the customer's YES
    UNREADABLE = "unreadable"  # fetched, but no serial of the campaign's format on it
    UNAVAILABLE = "unavailable"  # not fetched: not at Twilio, too large, not an image, timeout ...
