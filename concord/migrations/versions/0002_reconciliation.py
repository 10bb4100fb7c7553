"""reconciliation pins and propagation decisions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alignment_pin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("common_provision_id", sa.Integer(), nullable=True),
        sa.Column("city_provision_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["city_provision_id"],
            ["provision.id"],
            name=op.f("fk_alignment_pin_city_provision_id_provision"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["common_provision_id"],
            ["provision.id"],
            name=op.f("fk_alignment_pin_common_provision_id_provision"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_alignment_pin_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["draft.id"],
            name=op.f("fk_alignment_pin_draft_id_draft"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_alignment_pin_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alignment_pin")),
    )
    with op.batch_alter_table("alignment_pin", schema=None) as batch_op:
        batch_op.create_index("ix_alignment_pin_project", ["project_id", "draft_id"], unique=False)

    op.create_table(
        "propagation_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("common_provision_id", sa.Integer(), nullable=False),
        sa.Column("common_revision_id", sa.Integer(), nullable=True),
        sa.Column("common_text", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("city_revision_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["common_provision_id"],
            ["provision.id"],
            name=op.f("fk_propagation_decision_common_provision_id_provision"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_propagation_decision_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["draft.id"],
            name=op.f("fk_propagation_decision_draft_id_draft"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_propagation_decision")),
    )
    with op.batch_alter_table("propagation_decision", schema=None) as batch_op:
        batch_op.create_index(
            "ix_propagation_decision_draft", ["draft_id", "common_provision_id", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("propagation_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_propagation_decision_draft")

    op.drop_table("propagation_decision")
    with op.batch_alter_table("alignment_pin", schema=None) as batch_op:
        batch_op.drop_index("ix_alignment_pin_project")

    op.drop_table("alignment_pin")
