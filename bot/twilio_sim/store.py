"""The simulator's in-memory state: messages, phones, media, opt-outs, 24-hour windows and
the webhook log. One lock guards it all; readers get copies."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.twilio_sim.addresses import Channel
from bot.twilio_sim.sids import new_sid


@dataclass(frozen=True)
class MediaRef:
    url: str
    content_type: str
    sid: str | None = None  # ME… when the simulator keeps the bytes (customers' photos)


@dataclass(frozen=True)
class StoredMedia:
    """A Media resource: the bytes a customer sent with message `parent_sid`."""

    sid: str  # ME…
    content_type: str
    data: bytes
    filename: str
    parent_sid: str = ""  # MM…
    date_created: datetime | None = None


@dataclass(frozen=True)
class StatusChange:
    status: str
    at: datetime
    error_code: int | None = None


@dataclass
class SimMessage:
    sid: str
    direction: str  # inbound | outbound-api | outbound-reply
    channel: Channel
    customer: str  # the customer's +E164, whichever side they are on
    from_: str | None
    to: str
    body: str
    status: str
    date_created: datetime
    date_updated: datetime
    date_sent: datetime | None = None
    num_segments: int = 1
    messaging_service_sid: str | None = None
    error_code: int | None = None
    error_message: str | None = None
    status_callback: str | None = None
    content_sid: str | None = None
    content_variables: str | None = None
    media: list[MediaRef] = field(default_factory=list)
    history: list[StatusChange] = field(default_factory=list)
    webhook_ids: list[int] = field(default_factory=list)
    seq: int = 0

    @property
    def num_media(self) -> int:
        return len(self.media)

    @property
    def outbound(self) -> bool:
        return self.direction != "inbound"


@dataclass
class WebhookDelivery:
    id: int
    kind: str  # "incoming" (the app's inbound webhook) | "status" (a status callback)
    url: str
    message_sid: str
    params: dict[str, str]
    signature: str
    started_at: datetime
    status_code: int | None = None  # None: no HTTP answer (refused, timed out)
    latency_ms: float | None = None
    error: str | None = None
    response_excerpt: str = ""
    done: bool = False

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _snapshot(message: SimMessage) -> SimMessage:
    """A copy safe to read outside the lock (media refs and status changes are immutable)."""
    return dataclasses.replace(
        message, media=list(message.media), history=list(message.history), webhook_ids=list(message.webhook_ids)
    )


def _delivery_snapshot(delivery: WebhookDelivery) -> WebhookDelivery:
    return dataclasses.replace(delivery, params=dict(delivery.params))


@dataclass(frozen=True)
class Activity:
    """A customer's message count and latest message."""

    count: int
    latest: SimMessage


@dataclass
class PhoneEntry:
    phone: str
    name: str
    registered_at: datetime | None


class Store:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._seq = itertools.count(1)
        self._messages: dict[str, SimMessage] = {}
        self._phones: dict[str, PhoneEntry] = {}
        self._media: dict[str, StoredMedia] = {}
        self._last_inbound: dict[tuple[str, str], datetime] = {}
        self._opted_out: set[tuple[str, str]] = set()
        self._webhooks: dict[int, WebhookDelivery] = {}
        self._webhook_ids = itertools.count(1)

    # -- messages ---------------------------------------------------------------------------
    def add_message(self, message: SimMessage) -> SimMessage:
        with self._lock:
            message.seq = next(self._seq)
            message.history.append(StatusChange(message.status, message.date_created, message.error_code))
            self._messages[message.sid] = message
            return _snapshot(message)

    def get(self, sid: str) -> SimMessage | None:
        with self._lock:
            message = self._messages.get(sid)
            return _snapshot(message) if message else None

    def messages(self, where: Callable[[SimMessage], bool] | None = None) -> list[SimMessage]:
        """Copies, oldest first."""
        with self._lock:
            return [_snapshot(m) for m in self._messages.values() if where is None or where(m)]

    def activity(self) -> dict[str, Activity]:
        """Per customer: how many messages, and the latest one."""
        with self._lock:
            counts: dict[str, int] = {}
            latest: dict[str, SimMessage] = {}
            for message in self._messages.values():
                counts[message.customer] = counts.get(message.customer, 0) + 1
                latest[message.customer] = message
            return {c: Activity(counts[c], _snapshot(m)) for c, m in latest.items()}

    def update(self, sid: str, at: datetime, **changes: Any) -> SimMessage | None:
        """Change fields of a message; a new `status` is appended to its history."""
        with self._lock:
            message = self._messages.get(sid)
            if message is None:
                return None
            for name, value in changes.items():
                setattr(message, name, value)
            message.date_updated = at
            if "status" in changes:
                message.history.append(StatusChange(message.status, at, message.error_code))
            return _snapshot(message)

    def delete(self, sid: str) -> bool:
        """Delete a message and, as Twilio does, its media."""
        with self._lock:
            if self._messages.pop(sid, None) is None:
                return False
            for media in [m for m in self._media.values() if m.parent_sid == sid]:
                del self._media[media.sid]
            return True

    # -- phones -----------------------------------------------------------------------------
    def register_phone(self, phone: str, name: str, at: datetime) -> PhoneEntry:
        with self._lock:
            entry = self._phones.get(phone)
            if entry is None:
                entry = self._phones[phone] = PhoneEntry(phone, name, at)
            else:
                entry.name = name or entry.name
                entry.registered_at = entry.registered_at or at
            return copy.copy(entry)

    def phone_name(self, phone: str) -> str:
        with self._lock:
            entry = self._phones.get(phone)
            return entry.name if entry else ""

    def phones(self) -> list[PhoneEntry]:
        """Registered phones plus every number that sent or received a message."""
        with self._lock:
            entries = {p: copy.copy(e) for p, e in self._phones.items()}
            for message in self._messages.values():
                entries.setdefault(message.customer, PhoneEntry(message.customer, "", None))
            return list(entries.values())

    # -- media ------------------------------------------------------------------------------
    def put_media(
        self, data: bytes, content_type: str, filename: str, parent_sid: str = "", at: datetime | None = None
    ) -> StoredMedia:
        media = StoredMedia(new_sid("ME"), content_type, data, filename, parent_sid, at)
        with self._lock:
            self._media[media.sid] = media
        return media

    def get_media(self, sid: str) -> StoredMedia | None:
        with self._lock:
            return self._media.get(sid)

    def media_of(self, parent_sid: str) -> list[StoredMedia]:
        """The media of one message, in the order the customer attached them."""
        with self._lock:
            return [m for m in self._media.values() if m.parent_sid == parent_sid]

    def delete_media(self, sid: str) -> bool:
        with self._lock:
            return self._media.pop(sid, None) is not None

    # -- 24-hour windows and opt-outs -------------------------------------------------------
    def note_inbound(self, customer: str, sender: str, at: datetime) -> None:
        with self._lock:
            self._last_inbound[(customer, sender)] = at

    def last_inbound(self, customer: str, sender: str) -> datetime | None:
        with self._lock:
            return self._last_inbound.get((customer, sender))

    def set_opted_out(self, customer: str, sender: str, opted_out: bool) -> None:
        with self._lock:
            if opted_out:
                self._opted_out.add((customer, sender))
            else:
                self._opted_out.discard((customer, sender))

    def is_opted_out(self, customer: str, sender: str) -> bool:
        with self._lock:
            return (customer, sender) in self._opted_out

    # -- webhook log ------------------------------------------------------------------------
    def add_webhook(
        self, kind: str, url: str, message_sid: str, params: dict[str, str], signature: str, at: datetime
    ) -> WebhookDelivery:
        with self._lock:
            delivery = WebhookDelivery(next(self._webhook_ids), kind, url, message_sid, dict(params), signature, at)
            self._webhooks[delivery.id] = delivery
            if message_sid in self._messages:
                self._messages[message_sid].webhook_ids.append(delivery.id)
            return _delivery_snapshot(delivery)

    def finish_webhook(self, webhook_id: int, **result: Any) -> WebhookDelivery | None:
        with self._lock:
            delivery = self._webhooks.get(webhook_id)
            if delivery is None:  # the log was reset meanwhile
                return None
            for name, value in result.items():
                setattr(delivery, name, value)
            delivery.done = True
            return _delivery_snapshot(delivery)

    def webhooks(
        self, ids: Iterable[int] | None = None, where: Callable[[WebhookDelivery], bool] | None = None
    ) -> list[WebhookDelivery]:
        """Copies, oldest first: all, or those with the given ids, or those `where` accepts."""
        with self._lock:
            chosen = self._webhooks.values() if ids is None else [self._webhooks[i] for i in ids if i in self._webhooks]
            return [_delivery_snapshot(w) for w in chosen if where is None or where(w)]

    # -- everything -------------------------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            self._messages.clear()
            self._phones.clear()
            self._media.clear()
            self._last_inbound.clear()
            self._opted_out.clear()
            self._webhooks.clear()
