"""the customer's language

`customers.language`: the language the customer is written to in, a BCP 47 tag (`en`,
`hi`, `hi-Latn`); unset, the campaign's default. `customers.language_source`: how it is
known — `list` (the buyer file's `language` column), `written` (detected from their
messages), `chosen` (they asked for it, or an agent set it); a choice is never
overridden by the other two, a list's language not by what is detected
(bot/services/languages.py, issue 17).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 01:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCES = ("written", "list", "chosen")


def upgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=35), nullable=True))
        batch_op.add_column(
            sa.Column(
                "language_source",
                sa.Enum(*SOURCES, name="language_source", native_enum=False, create_constraint=True, length=7),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        # SQLite rebuilds the table: its CHECK must go with the column
        batch_op.drop_constraint(batch_op.f("ck_customers_language_source"), type_="check")
        batch_op.drop_column("language_source")
        batch_op.drop_column("language")
