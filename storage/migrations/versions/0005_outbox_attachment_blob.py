"""outbox attachment as bytes (no more hex inside the JSON payload)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 13:45:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OUTBOX = sa.table(
    "outbox",
    sa.column("id", sa.Integer()),
    sa.column("payload", sa.String()),
    sa.column("attachment", sa.LargeBinary()),
    sa.column("attachment_name", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachment", sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "attachment_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True
            )
        )
    # Rows queued by the previous version carry the document as hex inside the payload.
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(OUTBOX.c.id, OUTBOX.c.payload).where(OUTBOX.c.payload.like('%"_attachment"%'))
    ).all()
    for row_id, payload in rows:
        params = json.loads(payload)
        attachment = params.pop("_attachment", None)
        if not isinstance(attachment, dict):
            continue
        connection.execute(
            OUTBOX.update()
            .where(OUTBOX.c.id == row_id)
            .values(
                payload=json.dumps(params, ensure_ascii=False),
                attachment=bytes.fromhex(attachment["hex"]),
                attachment_name=attachment["filename"],
            )
        )


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            OUTBOX.c.id, OUTBOX.c.payload, OUTBOX.c.attachment, OUTBOX.c.attachment_name
        ).where(OUTBOX.c.attachment.is_not(None))
    ).all()
    for row_id, payload, content, name in rows:
        params = json.loads(payload)
        params["_attachment"] = {"filename": name or "document", "hex": bytes(content).hex()}
        connection.execute(
            OUTBOX.update()
            .where(OUTBOX.c.id == row_id)
            .values(payload=json.dumps(params, ensure_ascii=False))
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("attachment_name")
        batch_op.drop_column("attachment")
