"""Advisers' decisions on legality review findings (合法性审查) and the drafts' last marks

Revision ID: i19_review_decisions
Revises: i23_opinion_loop
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "i19_review_decisions"
down_revision = "i23_opinion_loop"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("provision_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=400), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["draft.id"],
            name=op.f("fk_review_decision_draft_id_draft"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_review_decision_decided_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decision")),
        sa.UniqueConstraint(
            "draft_id",
            "provision_id",
            "fingerprint",
            name=op.f("uq_review_decision_draft_id"),
        ),
    )
    op.create_index(
        op.f("ix_review_decision_draft_id"), "review_decision", ["draft_id"], unique=False
    )
    op.create_table(
        "review_mark",
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("marks", sa.JSON(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["draft.id"],
            name=op.f("fk_review_mark_draft_id_draft"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("draft_id", name=op.f("pk_review_mark")),
    )


def downgrade() -> None:
    op.drop_table("review_mark")
    op.drop_index(op.f("ix_review_decision_draft_id"), table_name="review_decision")
    op.drop_table("review_decision")
