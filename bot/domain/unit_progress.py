"""When a customer's remedy is complete, unit by unit (issue 16, item 6).

A customer may own several affected units, each verified on its own, with its own
remedy and state. A completed repair visit corrects every unit on the visit; a delivered
replacement or a paid refund corrects the request's unit. The customer's own stage
(`Customer.completed_at`, what follow-up feedback and outreach read) is reached when
every unit the recall owes them a remedy for is corrected:

- *owed*: affected, verified by the customer (`Unit.verified_at`) or with a remedy
  arranged for it (an agent may arrange one for a buyer on file who never sent the
  serial), and not sold, given away or thrown away (a unit out of reach is reported as
  such, not waited for);
- a customer with no owed unit at all (their units have neither a verification nor a
  remedy of their own: data from before units had their own state) is complete when a
  remedy of theirs is completed, as before.

A visit or request recorded without its units (from before units had their own state)
corrects the customer's units that await that remedy: affected, not out of reach, not
corrected yet, with that remedy or none chosen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar


@dataclass(frozen=True)
class UnitProgress:
    """What the rule needs to know of one unit."""

    affected: bool
    verified: bool
    out_of_reach: bool  # a disposition is recorded (sold, given away, thrown away)
    corrected: bool
    remedy: str | None = None  # the remedy chosen for it ("repair", "replacement", "refund")


def owed(unit: UnitProgress) -> bool:
    """The recall owes this unit a remedy (and waits for it before the customer is complete)."""
    return unit.affected and (unit.verified or unit.remedy is not None) and not unit.out_of_reach


def customer_complete(units: Iterable[UnitProgress], *, remedy_completed: bool) -> bool:
    """Is the customer's remedy complete, given their units now (after this outcome
    corrected its units) and whether this outcome completed a remedy at all?"""
    waiting = [u for u in units if owed(u)]
    if not waiting:
        return remedy_completed
    return all(u.corrected for u in waiting)


U = TypeVar("U")


def awaiting(units: Sequence[tuple[U, UnitProgress]], remedy: str) -> list[U]:
    """The units a remedy recorded without its units corrects: affected, not out of
    reach, not corrected yet, with this remedy chosen or none."""
    return [
        key for key, u in units if u.affected and not u.out_of_reach and not u.corrected and u.remedy in (None, remedy)
    ]
