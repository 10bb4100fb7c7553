"""The audit log as people read it: actions in words, filters (who, what, when, draft), pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.clock import day_starts, shown
from concord.i18n import gettext as _
from concord.permissions.workspace import may_manage_project, require
from drafting.models import AuditEntry, Project, Provision, Version

# Chinese source strings of each action (translated when shown); unknown actions show as coded.
ACTION_NAMES = {
    "project.create": "创建项目",
    "project.participant": "添加参与地区",
    "stage.record": "登记阶段",
    "draft.create": "新建文本",
    "draft.import": "导入修改稿",
    "provision.edit": "修改条文",
    "provision.insert": "新增条文",
    "provision.delete": "删除条文",
    "provision.move": "移动条文",
    "provision.restore": "恢复历史条文",
    "version.create": "保存版本",
    "alignment.pin": "指定对应条文",
    "alignment.unpin": "取消指定对应",
    "propagation.accept": "采用协同文本修改",
    "propagation.decline": "不采用协同文本修改",
    "round.open": "发起征求意见",
    "comment.add": "提出意见",
    "comment.record": "登记意见",
    "comment.reply": "回复意见",
    "comment.decide": "处理意见",
    "proposal.record": "登记建议意见",
    "proposal.answer": "答复建议意见",
    "proposal.link": "关联条款",
    "proposal.unlink": "取消关联条款",
    "station.create": "新建联络站",
    "opinion.triage": "办理群众意见",
    "opinion.deadlines": "设置办理期限",
    "opinion.suggestion": "群众意见转为建议",
    "user.create": "创建用户",
    "user.role": "更改角色",
    "user.activate": "恢复用户",
    "user.deactivate": "停用用户",
    "user.update": "修改用户信息",
    "user.reset_password": "重置密码",
    "user.set_password": "设置密码",
    "user.sign_out": "结束会话",
    "account.password": "修改本人密码",
    "account.update": "修改账户设置",
}


def action_name(action: str) -> str:
    """Return an action in words, in the current language."""
    return _(ACTION_NAMES[action]) if action in ACTION_NAMES else action


@dataclass(frozen=True)
class AuditFilter:
    """What to show: by whom (user id), which action, from and to (Beijing days), which draft."""

    who: int | None = None
    action: str = ""
    since: date | None = None
    until: date | None = None
    draft: int | None = None


def _query(project: Project, f: AuditFilter):
    query = select(AuditEntry).where(AuditEntry.project_id == project.id)
    if f.who:
        query = query.where(AuditEntry.user_id == f.who)
    if f.action:
        query = query.where(AuditEntry.action == f.action)
    if f.since:
        query = query.where(AuditEntry.at >= day_starts(f.since))
    if f.until:
        query = query.where(AuditEntry.at < day_starts(f.until + timedelta(days=1)))
    if f.draft:
        ids = lambda model: select(cast(model.id, String)).where(model.draft_id == f.draft)  # noqa: E731
        query = query.where(
            or_(
                (AuditEntry.object_type == "draft") & (AuditEntry.object_id == str(f.draft)),
                (AuditEntry.object_type == "provision") & AuditEntry.object_id.in_(ids(Provision)),
                (AuditEntry.object_type == "version") & AuditEntry.object_id.in_(ids(Version)),
            )
        )
    return query


def audit_page(
    session: Session, user: User, project: Project, f: AuditFilter, *, page: int, per_page: int = 50
) -> tuple[list[AuditEntry], int]:
    """Return one page of the project's audit log as filtered, and how many entries match."""
    require(may_manage_project(user, project), user, project)
    query = _query(project, f)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(per_page)
        .offset((max(1, page) - 1) * per_page)
    )
    return list(items), total


def audit_rows(session: Session, user: User, project: Project, f: AuditFilter) -> list[list[str]]:
    """Return the filtered log as table rows (header first), times in Beijing, for CSV."""
    require(may_manage_project(user, project), user, project)
    query = _query(project, f).order_by(AuditEntry.at, AuditEntry.id)
    rows = [[_("时间"), _("人员"), _("地区"), _("操作"), _("内容"), _("修改前"), _("修改后")]]
    for e in session.scalars(query):
        rows.append(
            [
                shown(e.at, seconds=True),
                e.user.name if e.user else _("系统"),
                e.user.jurisdiction.name if e.user else "",
                action_name(e.action),
                e.summary,
                e.before or "",
                e.after or "",
            ]
        )
    return rows


def people_in(session: Session, project: Project) -> list[User]:
    """Return the users who appear in a project's log (for the 'who' filter)."""
    ids = select(AuditEntry.user_id).where(AuditEntry.project_id == project.id).distinct()
    return list(session.scalars(select(User).where(User.id.in_(ids)).order_by(User.username)))


def actions_in(session: Session, project: Project) -> list[str]:
    """Return the actions that occur in a project's log (for the 'what' filter)."""
    query = select(AuditEntry.action).where(AuditEntry.project_id == project.id).distinct()
    return sorted(session.scalars(query))
