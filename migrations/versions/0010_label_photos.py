"""label photos: the photos of the product label the bot read for a serial

`label_photos`: one row per photo (inbound message and media index, read once), the copy
kept with its metadata (EXIF location) stripped, the OCR engine's text, the serial offered
for the customer's YES and every candidate (bot/gateway/label_photos.py, issue 18).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 18:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READINGS = ("read", "unreadable", "unavailable")


def upgrade() -> None:
    op.create_table(
        "label_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("media_index", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column(
            "reading",
            sa.Enum(*READINGS, name="photo_reading", native_enum=False, create_constraint=True, length=11),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("content_type", sa.String(length=40), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=True),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=True),
        sa.Column("engine", sa.String(length=120), nullable=True),
        sa.Column("read_ms", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_label_photos_message_id_messages"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_label_photos_customer_id_customers"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label_photos")),
        sa.UniqueConstraint("message_id", "media_index", name=op.f("uq_label_photos_message_id_media_index")),
    )
    with op.batch_alter_table("label_photos", schema=None) as batch_op:
        batch_op.create_index("ix_label_photos_customer_id", ["customer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("label_photos", schema=None) as batch_op:
        batch_op.drop_index("ix_label_photos_customer_id")
    op.drop_table("label_photos")
