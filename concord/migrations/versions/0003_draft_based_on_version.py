"""Record which named version of the common text a city draft was adapted from

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("based_on_version_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_draft_based_on_version_id_version", "version", ["based_on_version_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_constraint("fk_draft_based_on_version_id_version", type_="foreignkey")
        batch_op.drop_column("based_on_version_id")
