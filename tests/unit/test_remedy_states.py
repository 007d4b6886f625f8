"""Where a replacement or refund may go next (bot/domain/remedy_states.py)."""

from __future__ import annotations

import pytest

from bot.domain.remedy_states import next_states, note_required, state_label
from bot.models import RequestKind, RequestStatus

RL, RF = RequestKind.REPLACEMENT, RequestKind.REFUND
REQUESTED, SCHEDULED, PICKED_UP, DONE, CANCELLED = (
    RequestStatus.REQUESTED,
    RequestStatus.SCHEDULED,
    RequestStatus.PICKED_UP,
    RequestStatus.DONE,
    RequestStatus.CANCELLED,
)


@pytest.mark.parametrize(
    ("kind", "status", "expected"),
    [
        (RL, REQUESTED, (SCHEDULED, PICKED_UP, CANCELLED)),
        (RF, REQUESTED, (SCHEDULED, PICKED_UP, DONE, CANCELLED)),  # a refund may be paid without a pickup
        (RL, SCHEDULED, (PICKED_UP, CANCELLED)),
        (RF, SCHEDULED, (PICKED_UP, CANCELLED)),
        (RL, PICKED_UP, (DONE,)),  # the unit is collected: no cancelling any more
        (RF, PICKED_UP, (DONE,)),
        (RL, DONE, ()),
        (RF, DONE, ()),
        (RL, CANCELLED, ()),
        (RF, CANCELLED, ()),
    ],
)
def test_next_states(kind, status, expected):
    assert next_states(kind, status) == expected


def test_every_status_has_a_rule_and_nothing_goes_back_to_requested():
    for kind in RequestKind:
        for status in RequestStatus:
            moves = next_states(kind, status)
            assert REQUESTED not in moves and status not in moves


@pytest.mark.parametrize(
    ("kind", "status", "target", "required"),
    [
        (RF, REQUESTED, DONE, True),
        (RF, PICKED_UP, DONE, False),
        (RL, PICKED_UP, DONE, False),
        (RF, REQUESTED, CANCELLED, False),
        (RL, REQUESTED, SCHEDULED, False),
    ],
)
def test_note_required(kind, status, target, required):
    assert note_required(kind, status, target) is required


@pytest.mark.parametrize(
    ("kind", "target", "label"),
    [
        (RL, DONE, "New unit delivered"),
        (RF, DONE, "Refund paid"),
        (RF, PICKED_UP, "Old unit collected"),
        (RL, SCHEDULED, "Pickup arranged"),
        (RL, CANCELLED, "Cancel request"),
    ],
)
def test_state_label(kind, target, label):
    assert state_label(kind, target) == label
