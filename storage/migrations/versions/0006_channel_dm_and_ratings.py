"""channel direct-messages topic and private-copy choice on tickets; answer ratings

Revision ID: 0006
Revises: 0009
Create Date: 2026-12-03 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.models

revision: str = "0006"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("direct_messages_topic_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("answer_privately", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "answer_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("positive", sa.Boolean(), nullable=True),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("comment_until", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("rated_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["citizen_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id"),
    )
    with op.batch_alter_table("answer_rating", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_answer_rating_citizen_id"), ["citizen_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("answer_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_rating_citizen_id"))
    op.drop_table("answer_rating")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("answer_privately")
        batch_op.drop_column("direct_messages_topic_id")
