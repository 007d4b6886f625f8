"""The console's search: one box for a phone number (any format), a serial, a booking or
request reference, or part of a name."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.domain.phones import InvalidPhone, normalise_phone
from bot.domain.references import normalise_reference
from bot.domain.serials import normalise_serial
from bot.models import Booking, Campaign, Customer, RemedyRequest, Unit

LIMIT = 50


@dataclass(frozen=True)
class SearchHit:
    customer_id: int
    name: str
    phone: str
    campaign: str
    matched: str  # what the query matched: phone, serial, reference, name
    language: str | None = None  # the customer's (None: the campaign's default)


def search_customers(session: Session, query: str, default_region: str) -> list[SearchHit]:
    query = query.strip()[:100]
    if len(query) < 2:
        return []
    found: dict[int, SearchHit] = {}

    def add(stmt, matched: str) -> None:
        for customer, slug in session.execute(
            stmt.join(Campaign, Campaign.id == Customer.campaign_id)
            .add_columns(Campaign.slug)
            .order_by(Customer.id)
            .limit(LIMIT)
        ):
            found.setdefault(
                customer.id, SearchHit(customer.id, customer.name, customer.phone, slug, matched, customer.language)
            )

    with contextlib.suppress(InvalidPhone):
        add(select(Customer).where(Customer.phone == normalise_phone(query, default_region)), "phone")
    reference = normalise_reference(query)
    if reference:
        add(
            select(Customer).where(
                or_(
                    Customer.id.in_(select(Booking.customer_id).where(Booking.reference == reference)),
                    Customer.id.in_(select(RemedyRequest.customer_id).where(RemedyRequest.reference == reference)),
                )
            ),
            "reference",
        )
    serial = normalise_serial(query)
    if any(c.isdigit() for c in serial) and len(serial) >= 4:
        add(select(Customer).where(Customer.id.in_(select(Unit.customer_id).where(Unit.serial == serial))), "serial")
    if any(c.isalpha() for c in query):
        pattern = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        add(select(Customer).where(func.lower(Customer.name).like(pattern, escape="\\")), "name")
    return list(found.values())[:LIMIT]
