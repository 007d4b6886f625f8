"""messages: a partial index on the outreach messages Twilio accepted

`ix_messages_outreach_customer_id`: the notices and reminders Twilio accepted
(`author = 'outreach' AND twilio_sid IS NOT NULL`), by customer; on PostgreSQL it
carries `channel`, `encoding` and `segments` (INCLUDE), so the dashboard's
`messages_by_language` (issue 17) reads them with an index-only scan instead of scanning
every message (benchmarks/README.md, "Recall dashboard"). SQLite has partial indexes but
no INCLUDE: there the index holds `customer_id` alone.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 02:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTREACH_SENT = sa.text("author = 'outreach' AND twilio_sid IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_messages_outreach_customer_id",
            ["customer_id"],
            unique=False,
            postgresql_include=["channel", "encoding", "segments"],
            postgresql_where=OUTREACH_SENT,
            sqlite_where=OUTREACH_SENT,
        )


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_messages_outreach_customer_id", sqlite_where=OUTREACH_SENT, postgresql_where=OUTREACH_SENT
        )
