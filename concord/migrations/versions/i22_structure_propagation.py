"""The common text a city draft was adapted from, and the kind of each propagation decision

Revision ID: i22_structure_propagation
Revises: i20_consultation_lifecycle
"""

import sqlalchemy as sa
from alembic import op

revision = "i22_structure_propagation"
down_revision = "i20_consultation_lifecycle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("based_on_snapshot", sa.JSON(), nullable=True))
    with op.batch_alter_table("propagation_decision", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=12), nullable=False, server_default="modified")
        )


def downgrade() -> None:
    with op.batch_alter_table("propagation_decision", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_column("based_on_snapshot")
