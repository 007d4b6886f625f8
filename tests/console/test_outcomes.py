"""Agents recording a visit's outcome and moving a replacement/refund on from the
customer page's remedies panel (bot/console/remedies.py), on SQLite and PostgreSQL:
audited under the agent's email, the outcome or the refusal flashed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.console import remedies
from bot.models import AuditEvent, Booking, BookingStatus, Customer, RemedyRequest, RequestStatus, ServiceSlot
from tests.console.test_console import make_client
from tests.console.test_remedies import (  # noqa: F401 - console and people are fixtures
    AGENT,
    agent_actions,
    booked,
    console,
    flash,
    panel,
    people,
    post,
    render,
)


def book_repair(client, session_factory, customer_id: int) -> Booking:
    slot = panel(session_factory, customer_id)["slots"][0]["id"]
    post(client, f"/console/customers/{customer_id}/booking", slot_id=slot)
    flash(client)
    [booking] = booked(session_factory, customer_id)
    return booking


def start_refund(client, session_factory, customer_id: int) -> RemedyRequest:
    post(client, f"/console/customers/{customer_id}/refund")
    flash(client)
    with session_factory() as s:
        return s.scalar(select(RemedyRequest).where(RemedyRequest.customer_id == customer_id))


def test_the_panel_shows_the_outcome_buttons_for_a_booked_visit(console, session_factory, people):
    asha = people["asha"]
    assert 'data-action="visit-completed"' not in render(session_factory, asha)
    booking = book_repair(console, session_factory, asha)
    page = render(session_factory, asha)
    for outcome in ("completed", "failed", "missed"):
        assert f'name="outcome" value="{outcome}" data-action="visit-{outcome}"' in page
    assert f'name="reference" value="{booking.reference}"' in page and 'name="note"' in page
    assert f'action="/console/customers/{asha}/booking/outcome"' in page
    assert 'data-action="request-' not in page
    customer_page = console.get(f"/console/customers/{asha}")
    assert customer_page.status_code == 200 and 'data-action="visit-missed"' in customer_page.text


def test_a_completed_repair(console, session_factory, people):
    asha = people["asha"]
    booking = book_repair(console, session_factory, asha)
    response = post(console, f"/console/customers/{asha}/booking/outcome", reference=booking.reference,
                    outcome="completed", note="valve replaced")
    assert response.status_code == 303 and response.headers["location"] == f"/console/customers/{asha}"
    assert flash(console) == f"Repair visit {booking.reference} completed: the customer's remedy is complete."
    [done] = booked(session_factory, asha)
    assert done.status == BookingStatus.COMPLETED and done.note == "valve replaced"
    with session_factory() as s:
        assert s.get(Customer, asha).completed_at is not None
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "booking.completed"))
        assert event.actor == AGENT and event.customer_id == asha and event.detail["reference"] == booking.reference
    data = panel(session_factory, asha)
    assert data["booking"] is None and data["completed"]
    assert data["booking_problem"] == data["request_problem"] == remedies.REMEDY_COMPLETE
    page = render(session_factory, asha)
    assert 'data-field="completed"' in page and 'data-action="visit-completed"' not in page
    post(console, f"/console/customers/{asha}/booking/outcome", reference=booking.reference, outcome="failed")
    assert flash(console) == f"Repair visit {booking.reference} is completed: only a booked visit gets an outcome."
    post(console, f"/console/customers/{asha}/refund")
    assert flash(console) == remedies.REMEDY_COMPLETE
    assert agent_actions(session_factory, asha) == ["booking.created", "booking.completed"]


@pytest.mark.parametrize("outcome", ["failed", "missed"])
def test_a_failed_or_missed_visit_is_offered_slots_again(console, session_factory, people, outcome):
    asha = people["asha"]
    booking = book_repair(console, session_factory, asha)
    post(console, f"/console/customers/{asha}/booking/outcome", reference=booking.reference, outcome=outcome,
         note="nobody home")
    assert flash(console) == (f"Repair visit {booking.reference} recorded as {outcome}: "
                              "the customer can book a new visit.")
    with session_factory() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == f"booking.{outcome}"))
        assert event.actor == AGENT and event.detail["note"] == "nobody home"
        assert s.get(ServiceSlot, booking.slot_id).booked == 1
    data = panel(session_factory, asha)
    assert data["booking"] is None and data["booking_problem"] is None and data["slots"]
    assert data["book_label"] == "Book repair"
    post(console, f"/console/customers/{asha}/booking", slot_id=data["slots"][0]["id"])
    assert "booked for" in flash(console)
    assert [b.status for b in booked(session_factory, asha)] == [BookingStatus(outcome), BookingStatus.BOOKED]


def test_a_refund_through_its_pickup_to_paid(console, session_factory, people):
    asha = people["asha"]
    request = start_refund(console, session_factory, asha)
    page = render(session_factory, asha)
    for status in ("scheduled", "picked_up", "done", "cancelled"):
        assert f'data-action="request-{status}"' in page
    assert "Refund paid" in page
    slot = panel(session_factory, asha)["slots"][0]["id"]
    post(console, f"/console/customers/{asha}/booking", slot_id=slot)
    flash(console)
    [pickup] = booked(session_factory, asha)
    assert panel(session_factory, asha)["request"]["moves"] == []  # the pickup's outcome moves it
    assert 'data-action="request-' not in render(session_factory, asha)
    post(console, f"/console/customers/{asha}/request/advance", reference=request.reference, to="picked_up")
    assert flash(console) == f"Pickup {pickup.reference} is booked: record its outcome, or cancel it, first."

    post(console, f"/console/customers/{asha}/booking/outcome", reference=pickup.reference, outcome="completed")
    assert flash(console) == f"Pickup {pickup.reference} completed: refund {request.reference} is picked_up."
    data = panel(session_factory, asha)
    assert data["request"]["moves"] == [{"status": "done", "label": "Refund paid"}]
    assert data["booking_problem"] == (f"The old unit is collected: Refund {request.reference} needs no more visits, "
                                       "only marking done.") and data["slots"] == []
    post(console, f"/console/customers/{asha}/request/advance", reference=request.reference, to="done",
         note="paid by bank transfer")
    assert flash(console) == f"Refund {request.reference} done: the customer's remedy is complete."
    with session_factory() as s:
        row = s.get(RemedyRequest, request.id)
        assert row.status == RequestStatus.DONE and row.completed_at is not None
        assert s.get(Customer, asha).completed_at == row.completed_at
    assert panel(session_factory, asha)["request"] is None
    assert agent_actions(session_factory, asha) == [
        "request.refund", "booking.created", "request.picked_up", "booking.completed", "request.done"]


def test_request_refusals_are_flashed(console, session_factory, people):
    asha, ravi = people["asha"], people["ravi"]
    request = start_refund(console, session_factory, asha)
    post(console, f"/console/customers/{asha}/request/advance", reference=request.reference, to="done")
    assert "say in the note why the refund is paid without the unit" in flash(console)
    post(console, f"/console/customers/{ravi}/request/advance", reference=request.reference, to="cancelled")
    assert flash(console) == f"No replacement or refund {request.reference} for this customer."
    post(console, f"/console/customers/{ravi}/request/advance", to="cancelled")
    assert flash(console) == "The customer has no open replacement or refund."
    post(console, f"/console/customers/{asha}/request/advance", reference=request.reference, to="done",
         note="x" * (remedies.MAX_NOTE_CHARS + 1))
    assert flash(console) == remedies.NOTE_TOO_LONG
    post(console, f"/console/customers/{asha}/booking/outcome", outcome="completed")
    assert flash(console) == remedies.REFUSALS["no_booking"]
    with session_factory() as s:
        assert s.get(RemedyRequest, request.id).status == RequestStatus.REQUESTED
    assert agent_actions(session_factory, asha) == ["request.refund"]


def test_cancel_the_request_from_the_panel(console, session_factory, people):
    asha = people["asha"]
    request = start_refund(console, session_factory, asha)
    post(console, f"/console/customers/{asha}/request/advance", reference=request.reference, to="cancelled",
         note="prefers a repair")
    assert flash(console) == f"Refund {request.reference} moved from requested to cancelled."
    data = panel(session_factory, asha)
    assert data["request"] is None and data["request_problem"] is None and data["remedy"] is None


def test_an_outcome_for_another_customers_visit_is_refused(console, session_factory, people):
    asha, ravi = people["asha"], people["ravi"]
    booking = book_repair(console, session_factory, asha)
    post(console, f"/console/customers/{ravi}/booking/outcome", reference=booking.reference, outcome="completed")
    assert flash(console) == f"No visit {booking.reference} for this customer."
    post(console, f"/console/customers/{asha}/booking/outcome", reference=booking.reference, outcome="booked")
    assert flash(console) == "'booked' is not an outcome: completed, failed or missed."
    post(console, f"/console/customers/{asha}/booking/outcome", outcome="missed")  # the booked visit by default
    assert flash(console).endswith("recorded as missed: the customer can book a new visit.")


def test_login_csrf_and_unknown_customers(console, session_factory, people):
    asha = people["asha"]
    booking = book_repair(console, session_factory, asha)
    forms = {"booking/outcome": {"reference": booking.reference, "outcome": "completed"},
             "request/advance": {"reference": "RF-ZZZZZZ", "to": "done"}}
    for path, data in forms.items():
        url = f"/console/customers/{asha}/{path}"
        assert console.post(url, data={**data, "csrf_token": "forged"}, follow_redirects=False).status_code == 403
        assert post(console, f"/console/customers/999999/{path}", **data).status_code == 404
    with make_client(session_factory) as stranger:
        for path, data in forms.items():
            response = stranger.post(f"/console/customers/{asha}/{path}", data=data, follow_redirects=False)
            assert response.status_code == 401
    assert [b.status for b in booked(session_factory, asha)] == [BookingStatus.BOOKED]
    assert agent_actions(session_factory, asha) == ["booking.created"]
