"""Where a replacement or refund request may go next (`RemedyRequest.status`).

    requested ──> scheduled ──> picked_up ──> done
        │ │ │         │
        │ │ └─────────┴──> cancelled       (not once the old unit is collected)
        │ └──> picked_up                   (handed in without a booked pickup, e.g. at a retailer)
        └──> done                          (a refund only, with a note: paid without collecting the unit)

`scheduled` normally comes from booking the pickup (`bot/services/bookings.py`) and
`picked_up` from recording that pickup completed (`bot/services/completion.py`); an
agent sets them by hand only when the pickup was arranged outside the recall's slots
(a courier). A failed, missed or cancelled pickup puts a scheduled request back to
`requested` (the services do that; it is not a move an agent makes). A replacement is
done when the new unit is delivered, which needs the old one back; a refund can be paid
without collecting the unit (the customer destroyed or disposed of it), and then the
note saying why is required. `done` and `cancelled` are final.
"""

from __future__ import annotations

import enum


class RequestKind(str, enum.Enum):  # noqa: UP042 - like every enum of bot.models; StrEnum changes str()
    REPLACEMENT = "replacement"
    REFUND = "refund"


class RequestStatus(str, enum.Enum):  # noqa: UP042 - like every enum of bot.models; StrEnum changes str()
    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    PICKED_UP = "picked_up"
    DONE = "done"
    CANCELLED = "cancelled"


R = RequestStatus

_COMMON: dict[RequestStatus, tuple[RequestStatus, ...]] = {
    R.REQUESTED: (R.SCHEDULED, R.PICKED_UP, R.CANCELLED),
    R.SCHEDULED: (R.PICKED_UP, R.CANCELLED),
    R.PICKED_UP: (R.DONE,),
    R.DONE: (),
    R.CANCELLED: (),
}
_REFUND_EXTRA: dict[RequestStatus, tuple[RequestStatus, ...]] = {R.REQUESTED: (R.DONE,)}
_ORDER = (R.SCHEDULED, R.PICKED_UP, R.DONE, R.CANCELLED)

STATE_LABELS = {  # what a button moving a request there says
    R.SCHEDULED: "Pickup arranged",
    R.PICKED_UP: "Old unit collected",
    R.CANCELLED: "Cancel request",
}
DONE_LABELS = {RequestKind.REPLACEMENT: "New unit delivered", RequestKind.REFUND: "Refund paid"}


def next_states(kind: RequestKind, status: RequestStatus) -> tuple[RequestStatus, ...]:
    """The statuses a request of `kind` in `status` may move to, in the order of the flow."""
    allowed = set(_COMMON[status])
    if kind == RequestKind.REFUND:
        allowed |= set(_REFUND_EXTRA.get(status, ()))
    return tuple(state for state in _ORDER if state in allowed)


def note_required(kind: RequestKind, status: RequestStatus, target: RequestStatus) -> bool:
    """A refund paid without collecting the unit must say why (in the note)."""
    return kind == RequestKind.REFUND and status == R.REQUESTED and target == R.DONE


def state_label(kind: RequestKind, target: RequestStatus) -> str:
    return DONE_LABELS[kind] if target == R.DONE else STATE_LABELS[target]
