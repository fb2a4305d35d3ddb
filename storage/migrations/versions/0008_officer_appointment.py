"""officers appointed by decree, per agency (officer_appointment)

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-03 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.models

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "officer_appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("decree_number", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("decree_date", sa.Date(), nullable=True),
        sa.Column("appointed_by_id", sa.Integer(), nullable=True),
        sa.Column("appointed_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("removed_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"]),
        sa.ForeignKeyConstraint(["appointed_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["removed_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("officer_appointment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_officer_appointment_agency_id"), ["agency_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_officer_appointment_telegram_id"), ["telegram_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("officer_appointment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_officer_appointment_telegram_id"))
        batch_op.drop_index(batch_op.f("ix_officer_appointment_agency_id"))
    op.drop_table("officer_appointment")
