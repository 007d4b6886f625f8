"""goodwill claims: compensation asked for beyond the remedy

`goodwill_claims`: a claim a customer made in the conversation (spoiled food, a discount
on a new product, other), recorded by the bot with the customer's words and the amount
asked (if said), the inbound message with the photo of the receipt once sent, and the
decision of the person who reviewed it (approved / rejected, by whom, when). Campaign
policy: `goodwill` in the campaign definition (docs/campaigns-and-buyers.md).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 14:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("spoiled_food", "discount", "other")
STATUSES = ("submitted", "approved", "rejected")


def upgrade() -> None:
    op.create_table(
        "goodwill_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*KINDS, name="goodwill_kind", native_enum=False, create_constraint=True, length=12),
            nullable=False,
        ),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("receipt_required", sa.Boolean(), nullable=False),
        sa.Column("receipt_message_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(*STATUSES, name="claim_status", native_enum=False, create_constraint=True, length=9),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=254), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_goodwill_claims_campaign_id_campaigns"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_goodwill_claims_customer_id_customers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["receipt_message_id"],
            ["messages.id"],
            name=op.f("fk_goodwill_claims_receipt_message_id_messages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goodwill_claims")),
        sa.UniqueConstraint("reference", name=op.f("uq_goodwill_claims_reference")),
    )
    with op.batch_alter_table("goodwill_claims", schema=None) as batch_op:
        batch_op.create_index("ix_goodwill_claims_customer_id", ["customer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("goodwill_claims", schema=None) as batch_op:
        batch_op.drop_index("ix_goodwill_claims_customer_id")
    op.drop_table("goodwill_claims")
