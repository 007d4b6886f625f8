"""Completing remedies unit by unit (bot/services/completion.py, issue 16 item 6): a
completed visit corrects every unit on it, a done replacement or refund its unit, and the
customer's remedy is complete once every unit owed a remedy is corrected."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.db import run_in_write_transaction
from bot.models import (
    AuditEvent,
    Booking,
    BookingKind,
    BookingStatus,
    Campaign,
    Customer,
    Disposition,
    Remedy,
    RemedyRequest,
    RequestKind,
    RequestStatus,
    Unit,
)
from bot.services.completion import advance_request, record_visit_outcome
from bot.services.status import campaign_status
from tests import factories

NOW = dt.datetime(2026, 11, 28, 4, 30, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=4)
EVEN_LATER = LATER + dt.timedelta(days=2)
ACTOR = "tech@example.com"
V = {"verified_at": NOW}  # a unit the customer verified


def _world(session_factory, units: list[dict], *, visit: list[int], request: tuple[RequestKind, int] | None = None):
    """A customer owning `units` (dicts of `factories.unit`'s arguments), a booked repair
    visit for the units at the positions `visit`, and optionally a replacement/refund
    (picked up: ready for done) for the unit at a position."""
    with session_factory.begin() as s:
        campaign = factories.demo_campaign(s)
        specs = [{"serial": f"AR26D1045{n:02d}", **spec} for n, spec in enumerate(units)]
        owner = factories.customer_with_units(s, campaign, "+919812300001", specs, verified_at=NOW)
        mine = list(s.scalars(select(Unit).where(Unit.customer_id == owner.id).order_by(Unit.id)))
        slot = factories.slot(s, campaign)
        booking = Booking(
            reference="RP-7K3F2Q",
            campaign_id=campaign.id,
            customer_id=owner.id,
            slot_id=slot.id,
            kind=BookingKind.REPAIR,
            status=BookingStatus.BOOKED,
        )
        booking.units.extend(mine[i] for i in visit)
        s.add(booking)
        if request is not None:
            kind, position = request
            s.add(
                RemedyRequest(
                    reference="RF-8M2P4X" if kind == RequestKind.REFUND else "RQ-8M2P4X",
                    campaign_id=campaign.id,
                    customer_id=owner.id,
                    unit_id=mine[position].id,
                    kind=kind,
                    status=RequestStatus.PICKED_UP,
                )
            )
        s.flush()
        return {"campaign": campaign.id, "customer": owner.id, "units": [u.id for u in mine]}


def _visit(session_factory, outcome="completed", now=LATER):
    return run_in_write_transaction(
        session_factory, lambda s: record_visit_outcome(s, "RP-7K3F2Q", outcome, actor=ACTOR, now=now)
    )


def _advance(session_factory, reference, to, now=EVEN_LATER, note=None):
    return run_in_write_transaction(
        session_factory, lambda s: advance_request(s, reference, to, actor=ACTOR, now=now, note=note)
    )


def _state(session_factory, world) -> tuple[dt.datetime | None, list[tuple[dt.datetime | None, Remedy | None]]]:
    with session_factory() as s:
        customer = s.get(Customer, world["customer"])
        units = [s.get(Unit, unit_id) for unit_id in world["units"]]
        return customer.completed_at, [(u.completed_at, u.remedy) for u in units]


# (the customer's units, the visit's units, whether the visit completes the customer, why)
VISITS = [
    ([V], [0], True, "one unit, on the visit"),
    ([V, V], [0, 1], True, "one visit fixes both units at the address"),
    ([V, V], [0], False, "the other verified unit still awaits its remedy"),
    ([V, {"verified_at": NOW, "disposition": Disposition.SOLD}], [0], True, "a sold unit is not waited for"),
    ([V, {"disposition": Disposition.DISPOSED}], [0], True, "a thrown-away unit is not waited for"),
    ([V, {}], [0], True, "a unit on file the customer never verified is not waited for"),
    ([V, {"remedy": Remedy.REFUND}], [0], False, "a unit with a refund arranged, never verified, is waited for"),
    ([V, {"verified_at": NOW, "affected": False}], [0], True, "a verified unit that is not affected"),
    ([V, {"verified_at": NOW, "completed_at": NOW}], [0], True, "the other unit was corrected before"),
]


@pytest.mark.parametrize(("units", "visit", "completes", "why"), VISITS, ids=[v[3] for v in VISITS])
def test_a_completed_visit_corrects_its_units(session_factory, units, visit, completes, why):
    world = _world(session_factory, units, visit=visit)
    result = _visit(session_factory)
    assert result.ok and result.remedy_completed is completes, why
    completed_at, unit_states = _state(session_factory, world)
    assert completed_at == (LATER if completes else None), why
    for position, (unit_completed, remedy) in enumerate(unit_states):
        if position in visit:
            assert (unit_completed, remedy) == (LATER, Remedy.REPAIR), why
        else:
            assert unit_completed == units[position].get("completed_at"), why
    with session_factory() as s:
        serials = [s.get(Unit, world["units"][i]).serial for i in visit]
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "booking.completed"))
    assert result.units_corrected == tuple(serials) and event.detail["units"] == serials
    assert event.detail["remedy_completed"] is completes
    if not completes:
        assert result.message == (
            f"Repair visit RP-7K3F2Q completed: unit {serials[0]} corrected; "
            "the customer's other units still await their remedy."
        )


@pytest.mark.parametrize("outcome", ["failed", "missed"])
def test_a_failed_visit_corrects_nothing(session_factory, outcome):
    world = _world(session_factory, [V, V], visit=[0, 1])
    result = _visit(session_factory, outcome)
    assert result.ok and not result.remedy_completed and result.units_corrected == ()
    assert _state(session_factory, world) == (None, [(None, None), (None, None)])


@pytest.mark.parametrize("kind", [RequestKind.REPLACEMENT, RequestKind.REFUND])
def test_a_visit_and_a_request_together_complete_the_customer(session_factory, kind):
    """Two units repaired on one visit, the third replaced or refunded: the customer's
    remedy is complete when the last of them is corrected, and stays set from then."""
    world = _world(session_factory, [V, V, V], visit=[0, 1], request=(kind, 2))
    first = _visit(session_factory)
    assert first.ok and not first.remedy_completed and len(first.units_corrected) == 2
    assert _state(session_factory, world)[0] is None
    reference = "RF-8M2P4X" if kind == RequestKind.REFUND else "RQ-8M2P4X"
    done = _advance(session_factory, reference, "done")
    assert done.ok and done.remedy_completed
    assert done.message == f"{kind.value.capitalize()} {reference} done: the customer's remedy is complete."
    remedy = Remedy.REFUND if kind == RequestKind.REFUND else Remedy.REPLACEMENT
    assert _state(session_factory, world) == (
        EVEN_LATER,
        [(LATER, Remedy.REPAIR), (LATER, Remedy.REPAIR), (EVEN_LATER, remedy)],
    )
    with session_factory() as s:
        status = campaign_status(s, s.get(Campaign, world["campaign"]))
    assert (status["units_completed"], status["affected"], status["completed"]) == (3, 3, 1)
    assert status["correction_rate"] == 1.0


def test_a_request_done_before_the_visit_leaves_the_customer_waiting(session_factory):
    world = _world(session_factory, [V, V], visit=[0], request=(RequestKind.REFUND, 1))
    done = _advance(session_factory, "RF-8M2P4X", "done", now=LATER)
    assert done.ok and not done.remedy_completed
    with session_factory() as s:
        serial = s.get(Unit, world["units"][1]).serial
    assert done.units_corrected == (serial,)
    assert done.message == (
        f"Refund RF-8M2P4X done: unit {serial} corrected; the customer's other units still await their remedy."
    )
    assert _state(session_factory, world) == (None, [(None, None), (LATER, Remedy.REFUND)])
    assert _visit(session_factory, now=EVEN_LATER).remedy_completed
    assert _state(session_factory, world)[0] == EVEN_LATER


def test_cancelling_a_request_clears_its_units_remedy(session_factory):
    world = _world(
        session_factory, [V, {"verified_at": NOW, "remedy": Remedy.REFUND}], visit=[0], request=(RequestKind.REFUND, 1)
    )
    with session_factory.begin() as s:  # not collected yet: it may still be cancelled
        s.scalar(select(RemedyRequest)).status = RequestStatus.REQUESTED
    result = _advance(session_factory, "RF-8M2P4X", "cancelled")
    assert result.ok
    assert _state(session_factory, world)[1][1] == (None, None)


def test_a_visit_recorded_without_its_units_corrects_the_units_awaiting_a_repair(session_factory):
    """A booking from before units had their own state (no `booking_units`): the
    customer's affected units awaiting a repair (or with no remedy chosen) are corrected;
    a unit arranged for a refund, one out of reach and one not affected are not — and
    the refund still pending keeps the customer's remedy open."""
    units = [
        {},
        {"remedy": Remedy.REPAIR},
        {"remedy": Remedy.REFUND},
        {"disposition": Disposition.GIVEN_AWAY},
        {"affected": False},
    ]
    world = _world(session_factory, units, visit=[])
    result = _visit(session_factory)
    assert result.ok and not result.remedy_completed and len(result.units_corrected) == 2
    assert _state(session_factory, world) == (
        None,
        [(LATER, Remedy.REPAIR), (LATER, Remedy.REPAIR), (None, Remedy.REFUND), (None, None), (None, None)],
    )


def test_a_visit_recorded_without_units_for_a_customer_whose_units_have_no_state(session_factory):
    """As before units had their own state: the visit completes the customer's remedy."""
    world = _world(session_factory, [{}], visit=[])
    result = _visit(session_factory)
    assert result.ok and result.remedy_completed
    assert _state(session_factory, world) == (LATER, [(LATER, Remedy.REPAIR)])
