"""Where proposals and opinions attach to provisions (their records arrive with their issue)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .models import Provision


def proposals_for(session: Session, provision: Provision) -> list[dict]:
    """Return the proposals linked to a provision (none until proposals are recorded)."""
    return []
