"""The audit log: every change, who made it and when, with text before and after."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from concord.accounts.models import User
from drafting.models import AuditEntry, Project


def record(
    session: Session,
    user: User | None,
    action: str,
    *,
    project: Project | int | None = None,
    obj: object | None = None,
    summary: str = "",
    before: str | None = None,
    after: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the session; the caller's commit makes it permanent with the change."""
    project_id = project.id if isinstance(project, Project) else project
    entry = AuditEntry(
        user_id=user.id if user is not None else None,
        project_id=project_id,
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=str(getattr(obj, "id", "") or "") if obj is not None else "",
        summary=summary,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


def entries(
    session: Session,
    project: Project,
    *,
    limit: int = 50,
    offset: int = 0,
    action: str | None = None,
) -> list[AuditEntry]:
    """Return a project's audit entries, newest first."""
    query = select(AuditEntry).where(AuditEntry.project_id == project.id)
    if action:
        query = query.where(AuditEntry.action == action)
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(query))


def count(session: Session, project: Project, *, action: str | None = None) -> int:
    """Return how many audit entries a project has."""
    from sqlalchemy import func

    query = select(func.count()).select_from(AuditEntry).where(AuditEntry.project_id == project.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return session.scalar(query) or 0
