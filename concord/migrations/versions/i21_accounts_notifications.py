"""Account settings, one-time password links and notifications with their e-mail outbox

Revision ID: i21_accounts_notifications
Revises: i24_intake_guards
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "i21_accounts_notifications"
down_revision = "i24_intake_guards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(254), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("language", sa.String(8), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("platform_admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("mail_notifications", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("last_sign_in_at", sa.DateTime(timezone=True)))
    op.create_table(
        "password_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_password_link_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_link")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_password_link_key_hash")),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mail_state", sa.String(length=10), nullable=False),
        sa.Column("mail_attempts", sa.Integer(), nullable=False),
        sa.Column("mail_after", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_notification_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_notification_user_id")),
    )
    op.create_index("ix_notification_user_read", "notification", ["user_id", "read_at"])
    op.create_index("ix_notification_mail", "notification", ["mail_state", "mail_after"])


def downgrade() -> None:
    op.drop_index("ix_notification_mail", table_name="notification")
    op.drop_index("ix_notification_user_read", table_name="notification")
    op.drop_table("notification")
    op.drop_table("password_link")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        for column in ("last_sign_in_at", "mail_notifications", "platform_admin", "language"):
            batch_op.drop_column(column)
        batch_op.drop_column("email")
