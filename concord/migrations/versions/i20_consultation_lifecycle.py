"""Consultation every day: what a proposal replaces, withdrawn comments and their history,
rounds closed early.

Revision ID: i20_consultation_lifecycle
Revises: i18_search_store
"""

import sqlalchemy as sa
from alembic import op

revision = "i20_consultation_lifecycle"
down_revision = "i18_search_store"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consultation_comment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replaces", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("consultation_round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "comment_edit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("proposed_text", sa.Text(), nullable=True),
        sa.Column("replaces", sa.String(length=10), nullable=True),
        sa.Column("edited_by_id", sa.Integer(), nullable=True),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["consultation_comment.id"],
            name=op.f("fk_comment_edit_comment_id_consultation_comment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["edited_by_id"],
            ["user_account.id"],
            name=op.f("fk_comment_edit_edited_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_edit")),
    )
    with op.batch_alter_table("comment_edit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comment_edit_comment_id"), ["comment_id"])


def downgrade() -> None:
    with op.batch_alter_table("comment_edit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comment_edit_comment_id"))
    op.drop_table("comment_edit")
    with op.batch_alter_table("consultation_round", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
    with op.batch_alter_table("consultation_comment", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("replaces")
