"""Stations and deputies' codes, residents' opinions taken in by QR code, triage steps, deadlines

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("jurisdiction_code", sa.String(length=12), nullable=False),
        sa.Column("district", sa.String(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["jurisdiction_code"],
            ["jurisdiction.code"],
            name=op.f("fk_station_jurisdiction_code_jurisdiction"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_station_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station")),
        sa.UniqueConstraint("code", name=op.f("uq_station_code")),
    )
    op.create_table(
        "opinion_intake",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("tracking_number", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("district", sa.String(length=80), nullable=False),
        sa.Column("handling", sa.String(length=12), nullable=True),
        sa.Column("difficulty", sa.String(length=12), nullable=True),
        sa.Column("client_hash", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_opinion_intake_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_opinion_intake_station_id_station")
        ),
        sa.PrimaryKeyConstraint("proposal_id", name=op.f("pk_opinion_intake")),
        sa.UniqueConstraint("tracking_number", name=op.f("uq_opinion_intake_tracking_number")),
    )
    op.create_index("ix_opinion_intake_client", "opinion_intake", ["client_hash", "submitted_at"])
    op.create_index("ix_opinion_intake_station", "opinion_intake", ["station_id", "submitted_at"])
    op.create_table(
        "opinion_photo",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["opinion_intake.proposal_id"],
            name=op.f("fk_opinion_photo_proposal_id_opinion_intake"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("proposal_id", name=op.f("pk_opinion_photo")),
    )
    op.create_table(
        "opinion_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["opinion_intake.proposal_id"],
            name=op.f("fk_opinion_event_proposal_id_opinion_intake"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_opinion_event_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion_event")),
    )
    op.create_index("ix_opinion_event_proposal", "opinion_event", ["proposal_id"])
    op.create_table(
        "deadline_rule",
        sa.Column("jurisdiction_code", sa.String(length=12), nullable=False),
        sa.Column("difficulty", sa.String(length=12), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["jurisdiction_code"],
            ["jurisdiction.code"],
            name=op.f("fk_deadline_rule_jurisdiction_code_jurisdiction"),
        ),
        sa.PrimaryKeyConstraint("jurisdiction_code", "difficulty", name=op.f("pk_deadline_rule")),
    )


def downgrade() -> None:
    op.drop_table("deadline_rule")
    op.drop_index("ix_opinion_event_proposal", table_name="opinion_event")
    op.drop_table("opinion_event")
    op.drop_table("opinion_photo")
    op.drop_index("ix_opinion_intake_station", table_name="opinion_intake")
    op.drop_index("ix_opinion_intake_client", table_name="opinion_intake")
    op.drop_table("opinion_intake")
    op.drop_table("station")
