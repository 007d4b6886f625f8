"""units: their own progress, dispositions, and visits that fix several units

A customer may own several affected units, each verified, with its own remedy and
state: `units.verified_at`, `units.remedy`, `units.completed_at`; a unit sold, given
away or thrown away is recorded as `units.disposition` (with `disposition_at`).
`booking_units`: the units a visit fixes or a pickup collects (one visit may fix
several units at one address). Existing data: a customer with exactly one unit passes
their progress to it, and every booking's unit is put on it; then `bookings.unit_id`
goes (`booking_units` replaces it). One active booking per customer and *kind* (a
repair visit for one unit and a pickup for another), one open replacement/refund per
*unit* (and per customer among requests with no unit). Downgrade: a booking gets back
its first unit; it fails while a customer has two active bookings or two open requests
(the old one-per-customer indexes).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 14:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REMEDIES = ("repair", "replacement", "refund")
DISPOSITIONS = ("sold", "given_away", "disposed")
ACTIVE_BOOKING = sa.text("status = 'booked'")
OPEN_REQUEST = sa.text("status IN ('requested', 'scheduled', 'picked_up')")
OPEN_REQUEST_NO_UNIT = sa.text("status IN ('requested', 'scheduled', 'picked_up') AND unit_id IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column(
                "remedy",
                sa.Enum(*REMEDIES, name="unit_remedy", native_enum=False, create_constraint=True, length=11),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column(
                "disposition",
                sa.Enum(*DISPOSITIONS, name="disposition", native_enum=False, create_constraint=True, length=10),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("disposition_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "booking_units",
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_booking_units_booking_id_bookings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_booking_units_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("booking_id", "unit_id", name=op.f("pk_booking_units")),
    )
    with op.batch_alter_table("booking_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_units_unit_id"), ["unit_id"], unique=False)

    op.execute(
        "INSERT INTO booking_units (booking_id, unit_id) SELECT id, unit_id FROM bookings WHERE unit_id IS NOT NULL"
    )
    op.execute(
        "UPDATE units SET"
        " verified_at = (SELECT c.verified_at FROM customers c WHERE c.id = units.customer_id),"
        " remedy = (SELECT c.remedy FROM customers c WHERE c.id = units.customer_id),"
        " completed_at = (SELECT c.completed_at FROM customers c WHERE c.id = units.customer_id)"
        " WHERE customer_id IS NOT NULL"
        " AND (SELECT count(*) FROM units u WHERE u.customer_id = units.customer_id) = 1"
    )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index("uq_bookings_active_customer", sqlite_where=ACTIVE_BOOKING, postgresql_where=ACTIVE_BOOKING)
        # SQLite rebuilds the table: the foreign key must go with the column
        batch_op.drop_constraint(batch_op.f("fk_bookings_unit_id_units"), type_="foreignkey")
        batch_op.drop_column("unit_id")
        batch_op.create_index(
            "uq_bookings_active_customer_kind",
            ["campaign_id", "customer_id", "kind"],
            unique=True,
            sqlite_where=ACTIVE_BOOKING,
            postgresql_where=ACTIVE_BOOKING,
        )
    with op.batch_alter_table("remedy_requests", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_remedy_requests_open_customer", sqlite_where=OPEN_REQUEST, postgresql_where=OPEN_REQUEST
        )
        batch_op.create_index(
            "uq_remedy_requests_open_unit",
            ["campaign_id", "customer_id", "unit_id"],
            unique=True,
            sqlite_where=OPEN_REQUEST,
            postgresql_where=OPEN_REQUEST,
        )
        batch_op.create_index(
            "uq_remedy_requests_open_no_unit",
            ["campaign_id", "customer_id"],
            unique=True,
            sqlite_where=OPEN_REQUEST_NO_UNIT,
            postgresql_where=OPEN_REQUEST_NO_UNIT,
        )


def downgrade() -> None:
    with op.batch_alter_table("remedy_requests", schema=None) as batch_op:
        batch_op.drop_index("uq_remedy_requests_open_unit", sqlite_where=OPEN_REQUEST, postgresql_where=OPEN_REQUEST)
        batch_op.drop_index(
            "uq_remedy_requests_open_no_unit", sqlite_where=OPEN_REQUEST_NO_UNIT, postgresql_where=OPEN_REQUEST_NO_UNIT
        )
        batch_op.create_index(
            "uq_remedy_requests_open_customer",
            ["campaign_id", "customer_id"],
            unique=True,
            sqlite_where=OPEN_REQUEST,
            postgresql_where=OPEN_REQUEST,
        )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_bookings_active_customer_kind", sqlite_where=ACTIVE_BOOKING, postgresql_where=ACTIVE_BOOKING
        )
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_bookings_unit_id_units"), "units", ["unit_id"], ["id"], ondelete="SET NULL"
        )
    op.execute(
        "UPDATE bookings SET unit_id = (SELECT min(b.unit_id) FROM booking_units b WHERE b.booking_id = bookings.id)"
    )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.create_index(
            "uq_bookings_active_customer",
            ["campaign_id", "customer_id"],
            unique=True,
            sqlite_where=ACTIVE_BOOKING,
            postgresql_where=ACTIVE_BOOKING,
        )
    with op.batch_alter_table("booking_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_units_unit_id"))
    op.drop_table("booking_units")
    with op.batch_alter_table("units", schema=None) as batch_op:
        # SQLite rebuilds the table: its CHECKs must go with the columns
        batch_op.drop_constraint(batch_op.f("ck_units_disposition"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_units_unit_remedy"), type_="check")
        batch_op.drop_column("disposition_at")
        batch_op.drop_column("disposition")
        batch_op.drop_column("completed_at")
        batch_op.drop_column("remedy")
        batch_op.drop_column("verified_at")
