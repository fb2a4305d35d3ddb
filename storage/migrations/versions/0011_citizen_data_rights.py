"""citizens' data rights: ticket flags rahasia/anonim, user.erased_at

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-03 17:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0011"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(
            sa.Column("confidential", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(
            sa.Column("anonymous", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("user") as batch:
        batch.add_column(
            sa.Column("erased_at", storage.models.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("erased_at")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_column("anonymous")
        batch.drop_column("confidential")
