"""campaigns: the picture of where the serial label is

`campaigns.serial_hint_image`, `campaigns.serial_hint_image_type`: the PNG/JPEG file the
campaign's `serial_hint_image` names (relative to its YAML file), read and checked when the
YAML is loaded, and its media type; the web app serves it at
/campaign-media/<slug>/serial-hint.png for Twilio to fetch, and the serial question carries it
on WhatsApp (issue 18). Null: no picture, or one given as an https URL.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("serial_hint_image", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("serial_hint_image_type", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("serial_hint_image_type")
        batch_op.drop_column("serial_hint_image")
