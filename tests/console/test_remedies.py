"""Agents booking, moving and cancelling visits and starting replacements and refunds on a
customer's behalf, recording visits' outcomes and moving a replacement/refund on
(bot/console/remedies.py), over HTTP on SQLite and PostgreSQL: the same services as the
bot and `recall`, audited under the agent's email, outcomes and refusals flashed."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from bot.console import remedies
from bot.console.pages import TEMPLATES
from bot.models import (
    AuditEvent,
    Booking,
    BookingKind,
    BookingStatus,
    Customer,
    Remedy,
    RemedyRequest,
    RequestKind,
    RequestStatus,
    ServiceSlot,
    Unit,
    Verification,
    utcnow,
)
from bot.services.agents import add_agent
from tests import factories
from tests.console.test_console import PASSWORD, csrf_of, log_in, make_client

AGENT = "agent@example.com"
PUNE = "411045"


@pytest.fixture
def people(session_factory) -> dict[str, int]:
    """A verified buyer in Pune with an address, and one whose serial is not checked yet."""
    with session_factory.begin() as s:
        add_agent(s, AGENT, PASSWORD, "agent")
        campaign = factories.demo_campaign(s)
        asha = factories.customer(
            s,
            campaign,
            "+919812300001",
            "AR26D004512",
            postcode=PUNE,
            address="12 MG Road, Pune",
            verification=Verification.AFFECTED,
        )
        ravi = factories.customer(
            s,
            campaign,
            "+919812300002",
            "AR26D004513",
            name="Ravi <b>Kumar</b>",
            postcode=PUNE,
            address="3 FC Road, Pune",
        )
        s.execute(update(Unit).where(Unit.customer_id == asha.id).values(price=Decimal("32990")))
        return {"asha": asha.id, "ravi": ravi.id}


@pytest.fixture
def console(session_factory, people):
    with make_client(session_factory) as client:
        log_in(client, AGENT)
        yield client


def post(client, path: str, **data: object):
    data.setdefault("csrf_token", csrf_of(client.get("/console").text))
    return client.post(path, data=data, follow_redirects=False)


def flash(client) -> str | None:
    """The one-time notice, as the next page shows it (and so clears it)."""
    shown = re.search(r'<p class="flash" role="status">(.*?)</p>', client.get("/console").text, re.S)
    return html.unescape(shown.group(1)) if shown else None


def panel(session_factory, customer_id: int) -> dict:
    with session_factory.begin() as s:  # the panel's slots are materialised in the caller's transaction
        return remedies.remedy_panel(s, customer_id, utcnow())


def render(session_factory, customer_id: int) -> str:
    return TEMPLATES.get_template("_remedies.html").render(
        remedies=panel(session_factory, customer_id), customer_id=customer_id, csrf="tok&en", agent=None
    )


def booked(session_factory, customer_id: int) -> list[Booking]:
    with session_factory() as s:
        return list(s.scalars(select(Booking).where(Booking.customer_id == customer_id).order_by(Booking.id)))


def seats(session_factory, *slot_ids: int) -> list[int]:
    with session_factory() as s:
        return [s.get(ServiceSlot, slot_id).booked for slot_id in slot_ids]


def agent_actions(session_factory, customer_id: int) -> list[str]:
    with session_factory() as s:
        return list(
            s.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.actor == AGENT, AuditEvent.customer_id == customer_id)
                .order_by(AuditEvent.id)
            )
        )


def test_the_panel_offers_the_next_free_slots_in_the_customers_timezone(session_factory, people):
    data = panel(session_factory, people["asha"])
    assert data["booking"] is None and data["request"] is None and data["verified"]
    assert data["booking_problem"] is None and data["request_problem"] is None
    assert data["timezone"] == "Asia/Kolkata" and data["book_label"] == "Book repair"
    assert len(data["slots"]) == remedies.PANEL_SLOTS
    with session_factory() as s:  # materialised and committed, so their ids can be booked
        rows = [s.get(ServiceSlot, slot["id"]) for slot in data["slots"]]
    assert all(row is not None and row.postcode_prefix == "4110" for row in rows)
    assert data["slots"][0]["label"].endswith(("09:00–13:00", "14:00–18:00"))

    page = render(session_factory, people["asha"])
    assert 'data-action="book"' in page and 'name="slot_id"' in page
    assert f'<option value="{data["slots"][0]["id"]}">' in page
    assert 'value="tok&amp;en"' in page  # autoescaped
    assert 'data-action="replacement"' in page and 'data-action="refund"' in page and "disabled" not in page


def test_an_unverified_customer_gets_no_slots_and_disabled_requests(session_factory, people):
    data = panel(session_factory, people["ravi"])
    assert data["slots"] == [] and data["booking_problem"] == remedies.NOT_VERIFIED
    assert data["request_problem"] == remedies.NOT_VERIFIED
    page = render(session_factory, people["ravi"])
    assert 'data-action="book"' not in page and remedies.NOT_VERIFIED.replace("'", "&#39;") in page
    assert page.count(" disabled>") == 2
    with pytest.raises(LookupError):
        panel(session_factory, 999999)


def test_book_then_move_a_repair(console, session_factory, people):
    asha = people["asha"]
    first, second = (slot["id"] for slot in panel(session_factory, asha)["slots"][:2])
    response = post(console, f"/console/customers/{asha}/booking", slot_id=first)
    assert response.status_code == 303 and response.headers["location"] == f"/console/customers/{asha}"
    [booking] = booked(session_factory, asha)
    assert booking.slot_id == first and booking.kind == BookingKind.REPAIR and booking.address == "12 MG Road, Pune"
    assert "booked for" in flash(console) and flash(console) is None  # shown once
    with session_factory() as s:
        assert s.get(Customer, asha).remedy == Remedy.REPAIR
    assert panel(session_factory, asha)["book_label"] == "Move repair"

    assert post(console, f"/console/customers/{asha}/booking", slot_id=second).status_code == 303
    [moved] = booked(session_factory, asha)
    assert moved.id == booking.id and moved.slot_id == second and moved.status == BookingStatus.BOOKED
    assert seats(session_factory, first, second) == [0, 1]
    assert f"{booking.reference} moved to" in flash(console)
    assert agent_actions(session_factory, asha) == ["booking.created", "booking.rescheduled"]


def test_cancel_frees_the_seat(console, session_factory, people):
    asha = people["asha"]
    first = panel(session_factory, asha)["slots"][0]["id"]
    post(console, f"/console/customers/{asha}/booking", slot_id=first)
    assert post(console, f"/console/customers/{asha}/booking/cancel").status_code == 303
    assert [b.status for b in booked(session_factory, asha)] == [BookingStatus.CANCELLED]
    assert seats(session_factory, first) == [0] and "cancelled" in flash(console)
    post(console, f"/console/customers/{asha}/booking/cancel")
    assert flash(console) == remedies.REFUSALS["no_booking"]
    assert agent_actions(session_factory, asha) == ["booking.created", "booking.cancelled"]


def test_a_replacement_then_its_pickup(console, session_factory, people):
    asha = people["asha"]
    assert post(console, f"/console/customers/{asha}/replacement").status_code == 303
    assert "started" in flash(console)
    with session_factory() as s:
        [request] = s.scalars(select(RemedyRequest).where(RemedyRequest.customer_id == asha)).all()
        assert request.kind == RequestKind.REPLACEMENT and request.status == RequestStatus.REQUESTED
        assert s.get(Customer, asha).remedy == Remedy.REPLACEMENT
    data = panel(session_factory, asha)
    assert data["request"]["reference"] == request.reference and data["book_label"] == "Book pickup"

    post(console, f"/console/customers/{asha}/refund")  # one open request at a time
    assert flash(console) == f"Replacement {request.reference} is already open."
    post(console, f"/console/customers/{asha}/booking", slot_id=data["slots"][0]["id"])
    [pickup] = booked(session_factory, asha)
    assert pickup.kind == BookingKind.PICKUP and pickup.request_id == request.id
    with session_factory() as s:
        assert s.get(RemedyRequest, request.id).status == RequestStatus.SCHEDULED
        assert s.scalar(select(RemedyRequest.id).where(RemedyRequest.kind == RequestKind.REFUND)) is None
    assert agent_actions(session_factory, asha) == ["request.replacement", "booking.created"]


def test_a_refund_for_the_purchase_price(console, session_factory, people):
    asha = people["asha"]
    post(console, f"/console/customers/{asha}/refund")
    assert flash(console).endswith("started for ₹32,990: book the pickup next.")
    with session_factory() as s:
        request = s.scalar(select(RemedyRequest).where(RemedyRequest.customer_id == asha))
        assert request.kind == RequestKind.REFUND and request.amount == Decimal("32990.00")
        assert s.get(Customer, asha).remedy == Remedy.REFUND
    assert panel(session_factory, asha)["request"]["amount"] == "₹32,990"
    assert agent_actions(session_factory, asha) == ["request.refund"]


def test_refusals_change_nothing_and_say_why(console, session_factory, people):
    asha, ravi = people["asha"], people["ravi"]
    slots = [slot["id"] for slot in panel(session_factory, asha)["slots"][:2]]
    # not verified: no visit, no request
    for path in ("booking", "replacement", "refund"):
        post(console, f"/console/customers/{ravi}/{path}", slot_id=slots[0])
        assert flash(console) == remedies.NOT_VERIFIED
    assert booked(session_factory, ravi) == []
    # the slot filled up meanwhile
    with session_factory.begin() as s:
        s.execute(update(ServiceSlot).where(ServiceSlot.id == slots[0]).values(booked=ServiceSlot.capacity))
    post(console, f"/console/customers/{asha}/booking", slot_id=slots[0])
    assert flash(console) == remedies.REFUSALS["slot_full"] and booked(session_factory, asha) == []
    post(console, f"/console/customers/{asha}/booking", slot_id="")
    assert flash(console) == "Choose a slot first."
    # a booked repair: no replacement until it is cancelled
    post(console, f"/console/customers/{asha}/booking", slot_id=slots[1])
    flash(console)
    post(console, f"/console/customers/{asha}/replacement")
    assert flash(console).endswith("is booked: cancel it first.")
    with session_factory() as s:
        assert s.scalar(select(RemedyRequest.id)) is None
    assert agent_actions(session_factory, ravi) == [] and agent_actions(session_factory, asha) == ["booking.created"]


def test_login_csrf_and_unknown_customers(console, session_factory, people):
    asha = people["asha"]
    slot = panel(session_factory, asha)["slots"][0]["id"]
    for path in ("booking", "booking/cancel", "replacement", "refund"):
        url = f"/console/customers/{asha}/{path}"
        assert (
            console.post(url, data={"slot_id": slot, "csrf_token": "forged"}, follow_redirects=False).status_code == 403
        )
        assert post(console, f"/console/customers/999999/{path}", slot_id=slot).status_code == 404
    with make_client(session_factory) as stranger:
        for path in ("booking", "booking/cancel", "replacement", "refund"):
            response = stranger.post(
                f"/console/customers/{asha}/{path}", data={"slot_id": slot}, follow_redirects=False
            )
            assert response.status_code == 401
    assert booked(session_factory, asha) == []
    with session_factory() as s:
        assert s.scalar(select(RemedyRequest.id)) is None


# --- outcomes: a visit's result, a replacement/refund moved on ------------------------


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
    response = post(
        console,
        f"/console/customers/{asha}/booking/outcome",
        reference=booking.reference,
        outcome="completed",
        note="valve replaced",
    )
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
    post(
        console,
        f"/console/customers/{asha}/booking/outcome",
        reference=booking.reference,
        outcome=outcome,
        note="nobody home",
    )
    assert flash(console) == (
        f"Repair visit {booking.reference} recorded as {outcome}: the customer can book a new visit."
    )
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
    assert (
        data["booking_problem"]
        == (f"The old unit is collected: Refund {request.reference} needs no more visits, only marking done.")
        and data["slots"] == []
    )
    post(
        console,
        f"/console/customers/{asha}/request/advance",
        reference=request.reference,
        to="done",
        note="paid by bank transfer",
    )
    assert flash(console) == f"Refund {request.reference} done: the customer's remedy is complete."
    with session_factory() as s:
        row = s.get(RemedyRequest, request.id)
        assert row.status == RequestStatus.DONE and row.completed_at is not None
        assert s.get(Customer, asha).completed_at == row.completed_at
    assert panel(session_factory, asha)["request"] is None
    assert agent_actions(session_factory, asha) == [
        "request.refund",
        "booking.created",
        "request.picked_up",
        "booking.completed",
        "request.done",
    ]


def test_request_refusals_are_flashed(console, session_factory, people):
    asha, ravi = people["asha"], people["ravi"]
    request = start_refund(console, session_factory, asha)
    post(console, f"/console/customers/{asha}/request/advance", reference=request.reference, to="done")
    assert "say in the note why the refund is paid without the unit" in flash(console)
    post(console, f"/console/customers/{ravi}/request/advance", reference=request.reference, to="cancelled")
    assert flash(console) == f"No replacement or refund {request.reference} for this customer."
    post(console, f"/console/customers/{ravi}/request/advance", to="cancelled")
    assert flash(console) == "The customer has no open replacement or refund."
    post(
        console,
        f"/console/customers/{asha}/request/advance",
        reference=request.reference,
        to="done",
        note="x" * (remedies.MAX_NOTE_CHARS + 1),
    )
    assert flash(console) == remedies.NOTE_TOO_LONG
    post(console, f"/console/customers/{asha}/booking/outcome", outcome="completed")
    assert flash(console) == remedies.REFUSALS["no_booking"]
    with session_factory() as s:
        assert s.get(RemedyRequest, request.id).status == RequestStatus.REQUESTED
    assert agent_actions(session_factory, asha) == ["request.refund"]


def test_cancel_the_request_from_the_panel(console, session_factory, people):
    asha = people["asha"]
    request = start_refund(console, session_factory, asha)
    post(
        console,
        f"/console/customers/{asha}/request/advance",
        reference=request.reference,
        to="cancelled",
        note="prefers a repair",
    )
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


def test_outcome_forms_need_login_csrf_and_a_known_customer(console, session_factory, people):
    asha = people["asha"]
    booking = book_repair(console, session_factory, asha)
    forms = {
        "booking/outcome": {"reference": booking.reference, "outcome": "completed"},
        "request/advance": {"reference": "RF-ZZZZZZ", "to": "done"},
    }
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
