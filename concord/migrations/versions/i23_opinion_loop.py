"""Handling offices, residents' ratings, reopen counts and 重点督办 (key supervision)

Revision ID: i23_opinion_loop
Revises: i22_structure_propagation
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "i23_opinion_loop"
down_revision = "i22_structure_propagation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handling_office",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("handlings", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["jurisdiction_code"],
            ["jurisdiction.code"],
            name=op.f("fk_handling_office_jurisdiction_code_jurisdiction"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handling_office")),
        sa.UniqueConstraint(
            "jurisdiction_code", "name", name=op.f("uq_handling_office_jurisdiction_code")
        ),
    )
    with op.batch_alter_table("opinion_intake", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reopened", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_foreign_key(
            batch_op.f("fk_opinion_intake_office_id_handling_office"),
            "handling_office",
            ["office_id"],
            ["id"],
        )
    op.create_table(
        "opinion_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=24), nullable=False),
        sa.Column("remark", sa.Text(), nullable=False),
        sa.Column("client_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["opinion_intake.proposal_id"],
            name=op.f("fk_opinion_rating_proposal_id_opinion_intake"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion_rating")),
    )
    op.create_index("ix_opinion_rating_proposal", "opinion_rating", ["proposal_id"])
    op.create_index("ix_opinion_rating_client", "opinion_rating", ["client_hash", "at"])
    op.create_table(
        "key_supervision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("supervisor", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_key_supervision_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"],
            ["user_account.id"],
            name=op.f("fk_key_supervision_started_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_supervision")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_key_supervision_proposal_id")),
    )
    op.create_table(
        "supervision_follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supervision_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supervision_id"],
            ["key_supervision.id"],
            name=op.f("fk_supervision_follow_up_supervision_id_key_supervision"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_follow_up")),
    )
    op.create_index("ix_supervision_follow_up_due", "supervision_follow_up", ["due"])


def downgrade() -> None:
    op.drop_index("ix_supervision_follow_up_due", table_name="supervision_follow_up")
    op.drop_table("supervision_follow_up")
    op.drop_table("key_supervision")
    op.drop_index("ix_opinion_rating_client", table_name="opinion_rating")
    op.drop_index("ix_opinion_rating_proposal", table_name="opinion_rating")
    op.drop_table("opinion_rating")
    with op.batch_alter_table("opinion_intake", schema=None) as batch_op:
        batch_op.drop_constraint("fk_opinion_intake_office_id_handling_office", type_="foreignkey")
        batch_op.drop_column("reopened")
        batch_op.drop_column("office_id")
    op.drop_table("handling_office")
