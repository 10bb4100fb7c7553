"""proposals (议案, 代表建议, 民情民意, 专家意见) and their links to provisions

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("submitters", sa.JSON(), nullable=False),
        sa.Column("delegation", sa.String(length=120), nullable=False),
        sa.Column("jurisdiction_code", sa.String(length=12), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("session", sa.String(length=120), nullable=False),
        sa.Column("between_sessions", sa.Boolean(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("office", sa.String(length=120), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("fed_into_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["fed_into_id"],
            ["proposal.id"],
            name=op.f("fk_proposal_fed_into_id_proposal"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["jurisdiction_code"],
            ["jurisdiction.code"],
            name=op.f("fk_proposal_jurisdiction_code_jurisdiction"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_proposal_project_id_project"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_proposal_recorded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal")),
        sa.UniqueConstraint(
            "jurisdiction_code",
            "kind",
            "session",
            "number",
            name=op.f("uq_proposal_jurisdiction_code"),
        ),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index("ix_proposal_fed_into", ["fed_into_id"], unique=False)
        batch_op.create_index("ix_proposal_project", ["project_id", "kind"], unique=False)

    op.create_table(
        "proposal_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("provision_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("label_at_link", sa.String(length=80), nullable=False),
        sa.Column("text_at_link", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_proposal_link_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_proposal_link_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provision_id"],
            ["provision.id"],
            name=op.f("fk_proposal_link_provision_id_provision"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_link")),
        sa.UniqueConstraint(
            "proposal_id", "provision_id", name=op.f("uq_proposal_link_proposal_id")
        ),
    )
    with op.batch_alter_table("proposal_link", schema=None) as batch_op:
        batch_op.create_index("ix_proposal_link_provision", ["provision_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("proposal_link", schema=None) as batch_op:
        batch_op.drop_index("ix_proposal_link_provision")
    op.drop_table("proposal_link")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index("ix_proposal_project")
        batch_op.drop_index("ix_proposal_fed_into")
    op.drop_table("proposal")
