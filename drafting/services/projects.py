"""Coordinated legislation projects: participants, stages, and what each user may see."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from concord import clock
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions.lookup import find_visible
from concord.permissions.workspace import (
    may_create_project,
    may_manage_project,
    may_record_stage,
    may_view_project,
    projects_filter,
    require,
)
from drafting.errors import BadInput, Conflict, NotFound
from drafting.models import STAGES, Jurisdiction, Participant, Project, StageEvent
from drafting.services import audit


def _jurisdiction(session: Session, code: str) -> Jurisdiction:
    j = session.get(Jurisdiction, code.strip())
    if j is None:
        raise BadInput(_("未知的行政区划代码“{code}”。", code=code))
    return j


def create_project(
    session: Session,
    user: User,
    *,
    title: str,
    lead: str,
    participants: list[str],
    subject: str = "",
    key: str | None = None,
) -> Project:
    """Create a project led by `lead` with the given participating jurisdictions."""
    require(may_create_project(user), user)
    title = (title or "").strip()
    if not title:
        raise BadInput(_("项目名称不能为空。"))
    if len(title) > 200:
        raise BadInput(_("项目名称不能超过 200 个字符。"))
    lead_j = _jurisdiction(session, lead)
    require(may_create_project(user, lead_j.code), user, message=_("只能创建由本地区牵头的项目。"))
    codes = [lead_j.code] + [c.strip() for c in participants if c.strip() != lead_j.code]
    seen: list[str] = []
    for code in codes:
        _jurisdiction(session, code)
        if code not in seen:
            seen.append(code)
    if key and session.scalar(select(Project).where(Project.key == key)):
        raise Conflict(_("项目标识“{key}”已存在。", key=key))
    project = Project(
        title=title, subject=subject or "", lead_code=lead_j.code, created_by_id=user.id, key=key
    )
    project.participants = [Participant(jurisdiction_code=c, stage=STAGES[0]) for c in seen]
    session.add(project)
    session.flush()
    audit.record(
        session,
        user,
        "project.create",
        project=project,
        obj=project,
        summary=_("创建项目《{title}》，参与方：{n} 个", title=title, n=len(seen)),
    )
    session.commit()
    return project


def visible_projects(session: Session, user: User) -> list[Project]:
    """Return the projects `user` may see, newest first."""
    query = select(Project).options(selectinload(Project.participants)).order_by(Project.id.desc())
    return list(session.scalars(query.where(projects_filter(user))))


def get_project(session: Session, user: User, project_id: int | str) -> Project:
    """Return a project the user may see; 404 for unknown projects and for others' projects."""
    return find_visible(
        session, Project, project_id, _("找不到该项目。"), lambda p: may_view_project(user, p)
    )


def jurisdictions(session: Session, *, exclude_level: str) -> list[Jurisdiction]:
    """Return the jurisdictions a form offers, by code, leaving out one level."""
    return list(
        session.scalars(
            select(Jurisdiction)
            .where(Jurisdiction.level != exclude_level)
            .order_by(Jurisdiction.code)
        )
    )


def participant(project: Project, code: str) -> Participant:
    """Return the project's participant for a jurisdiction code."""
    for p in project.participants:
        if p.jurisdiction_code == code:
            return p
    raise NotFound(_("该地区未参与此项目。"))


def record_stage(
    session: Session,
    user: User,
    project: Project,
    *,
    jurisdiction: str,
    stage: str,
    on: date | None = None,
    note: str = "",
) -> StageEvent:
    """Record that a participant reached `stage` on a date; its current stage follows."""
    require(may_record_stage(user, project, jurisdiction), user, project)
    if stage not in STAGES:
        raise BadInput(_("未知阶段“{stage}”。", stage=stage))
    on = on or clock.today()
    part = participant(project, jurisdiction)
    before = part.stage
    event = StageEvent(participant=part, stage=stage, on=on, note=note, recorded_by_id=user.id)
    session.add(event)
    session.flush()
    # The current stage is the latest by date, so back-filled history does not move it backwards.
    latest = max(part.stage_events, key=lambda e: (e.on, STAGES.index(e.stage), e.id or 0))
    part.stage = latest.stage
    audit.record(
        session,
        user,
        "stage.record",
        project=project,
        obj=event,
        summary=_("{city}：{stage}（{on}）", city=part.jurisdiction.name, stage=stage, on=on),
        before=before,
        after=part.stage,
    )
    session.commit()
    return event


def add_participant(session: Session, user: User, project: Project, code: str) -> Participant:
    """Add a jurisdiction to a project."""
    require(may_manage_project(user, project), user, project)
    j = _jurisdiction(session, code)
    if j.code in project.participant_codes():
        raise Conflict(_("{name} 已是参与方。", name=j.name))
    part = Participant(jurisdiction_code=j.code, stage=STAGES[0])
    project.participants.append(part)
    audit.record(
        session,
        user,
        "project.participant",
        project=project,
        obj=project,
        summary=_("新增参与方：{name}", name=j.name),
    )
    session.commit()
    return part


def project_json(project: Project) -> dict:
    """Return the API representation of a project."""
    return {
        "id": project.id,
        "title": project.title,
        "subject": project.subject,
        "lead": project.lead_code,
        "participants": [
            {
                "jurisdiction": p.jurisdiction_code,
                "name": p.jurisdiction.name,
                "stage": p.stage,
                "stages": [{"stage": e.stage, "date": e.on.isoformat()} for e in p.stage_events],
            }
            for p in project.participants
        ],
        "created_at": project.created_at.isoformat(),
    }
