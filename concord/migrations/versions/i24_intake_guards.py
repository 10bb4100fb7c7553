"""Throttle gates and used form stamps of the public opinion form (issue 24)

Revision ID: i24_intake_guards
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "i24_intake_guards"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intake_gate",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("touched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_intake_gate")),
    )
    op.create_table(
        "intake_stamp",
        sa.Column("nonce", sa.String(length=40), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_intake_stamp")),
    )
    with op.batch_alter_table("intake_stamp", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_stamp_used_at"), ["used_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("intake_stamp", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_stamp_used_at"))
    op.drop_table("intake_stamp")
    op.drop_table("intake_gate")
