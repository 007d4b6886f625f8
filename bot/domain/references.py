"""Booking and request references customers read out over the phone: 'RP-7K3F2Q'."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from typing import Protocol, TypeVar

from bot.domain.scripts import ascii_digits

# No 0/O, 1/I/L: nothing a customer can misread on a small screen or mishear on a call.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6

REPAIR_VISIT = "RP"
PICKUP = "PU"
REPLACEMENT_REQUEST = "RL"
REFUND_REQUEST = "RF"
GOODWILL_CLAIM = "GW"
PREFIXES = frozenset({REPAIR_VISIT, PICKUP, REPLACEMENT_REQUEST, REFUND_REQUEST, GOODWILL_CLAIM})

_T = TypeVar("_T")
_REFERENCE = re.compile(rf"^({'|'.join(sorted(PREFIXES))})-?([{ALPHABET}]{{{LENGTH}}})$")


class ChoiceSource(Protocol):
    """`secrets`, `random` or a seeded `random.Random(...)`: anything with `choice`."""

    def choice(self, seq: Sequence[_T], /) -> _T: ...


def new_reference(prefix: str, rng: ChoiceSource = secrets) -> str:  # type: ignore[assignment]
    """A fresh reference such as 'RP-7K3F2Q' (uniqueness is the database's job)."""
    if prefix not in PREFIXES:
        raise ValueError(f"unknown reference prefix {prefix!r} (use one of {', '.join(sorted(PREFIXES))})")
    return f"{prefix}-" + "".join(rng.choice(ALPHABET) for _ in range(LENGTH))


def normalise_reference(text: str) -> str | None:
    """What a customer typed ('rp 7k3f2q', 'RP7K3F2Q') → 'RP-7K3F2Q', or None if it is not one."""
    compact = re.sub(r"[\s\-_.]", "", ascii_digits(text or "").upper())  # "RP-७K३F२Q" too (issue 17)
    match = _REFERENCE.match(compact)
    return f"{match.group(1)}-{match.group(2)}" if match else None
