"""Join the branches of comments, proposals and stations, and sessions and the index outbox.

Revision ID: 0008
Revises: 0004, 0006, 0007
"""

from __future__ import annotations

revision = "0008"
down_revision = ("0004", "0006", "0007")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the branches touch different tables."""


def downgrade() -> None:
    """Nothing to change: the branches touch different tables."""
