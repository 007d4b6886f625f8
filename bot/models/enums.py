"""The closed vocabularies of the data model (stored as their string values)."""

from __future__ import annotations

import enum


class Channel(str, enum.Enum):
    SMS = "sms"
    WHATSAPP = "whatsapp"


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


class RequestKind(str, enum.Enum):
    REPLACEMENT = "replacement"
    REFUND = "refund"


class RequestStatus(str, enum.Enum):
    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    PICKED_UP = "picked_up"
    DONE = "done"
    CANCELLED = "cancelled"


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
