"""`recall demo`'s own data, reset before each run so that every run tells the whole story.

Only the demo recall's rows go: its customers and units, and every row that refers to one
of its customers (conversations, messages, outreach attempts, bookings, requests, feedback,
escalations, notes, audit events, and any table added later with such a reference), plus
the opt-outs of its phone numbers that no other recall's customer has. The campaign, its
service slots (seats freed), its import history and the agents stay; nothing of any other
recall is touched. Rasa keeps no state across runs: the demo's Rasa server has the
in-memory tracker store (endpoints.yml), and the re-created conversations get new sender ids.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Table, delete, exists, select, update
from sqlalchemy.orm import Session

from bot.models import Base, Booking, Customer, OptOut, ServiceSlot, Unit

# The counts the demo prints, by table, in this order.
SHOWN = {
    "customers": "customers",
    "conversations": "conversations",
    "messages": "messages",
    "bookings": "bookings",
    "remedy_requests": "replacement/refund requests",
    "escalations": "escalations",
    "opt_outs": "opt-outs",
}


@dataclass(frozen=True)
class DemoReset:
    removed: Counter[str]

    def summary(self) -> str:
        if not self.removed["customers"]:
            return "The demo recall's own data: nothing to reset (its first run in this database)."
        counts = ", ".join(f"{label} {self.removed[table]}" for table, label in SHOWN.items() if self.removed[table])
        return (
            f"Reset the demo recall's own data from earlier runs (removed: {counts}); "
            "no other recall's data is touched. Its buyers are imported afresh:"
        )


def _referring_tables(target: Table) -> list[tuple[Table, list]]:
    """Every table with a foreign key to `target`, the ones that refer to them first."""
    found = []
    for table in reversed(Base.metadata.sorted_tables):
        columns = [fk.parent for fk in table.foreign_keys if fk.column.table is target and table is not target]
        if columns:
            found.append((table, columns))
    return found


def reset_demo_data(session: Session, campaign_id: int) -> DemoReset:
    customers = Customer.__table__
    demo_customers = select(Customer.id).where(Customer.campaign_id == campaign_id)
    demo_phones = select(Customer.phone).where(Customer.campaign_id == campaign_id)
    other_phones = select(Customer.phone).where(Customer.campaign_id != campaign_id)
    removed: Counter[str] = Counter()
    removed["opt_outs"] = session.execute(
        delete(OptOut).where(OptOut.phone.in_(demo_phones), OptOut.phone.not_in(other_phones))
    ).rowcount
    for table, columns in _referring_tables(customers):
        for column in columns:
            removed[table.name] += session.execute(delete(table).where(column.in_(demo_customers))).rowcount
    removed["units"] += session.execute(delete(Unit).where(Unit.campaign_id == campaign_id)).rowcount
    removed["customers"] = session.execute(delete(Customer).where(Customer.campaign_id == campaign_id)).rowcount
    session.execute(
        update(ServiceSlot)
        .where(ServiceSlot.campaign_id == campaign_id, ~exists().where(Booking.slot_id == ServiceSlot.id))
        .values(booked=0)
    )
    return DemoReset(removed)
