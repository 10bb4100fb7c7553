"""Who may open rounds, comment, record, decide and read which comments; pages and API ask here."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from concord.i18n import gettext as _
from drafting.errors import NotFound, NotPermitted
from drafting.services.permissions import sees_project

if TYPE_CHECKING:
    from comments.consultation.models import Comment, Round
    from concord.accounts.models import User
    from drafting.models import Draft

COMMENTING_ROLES = ("admin", "drafter", "commenter", "adviser")


def require_sees(user: User, draft: Draft) -> None:
    """Raise NotFound when the user may not see the draft's project at all."""
    if not sees_project(user, draft.project):
        raise NotFound(_("找不到该文本。"))


def drafts_here(user: User, draft: Draft) -> bool:
    """Return whether the user is a drafter (or admin) of the city that keeps this draft."""
    return (
        user.active
        and sees_project(user, draft.project)
        and user.role in ("drafter", "admin")
        and user.jurisdiction_code == draft.jurisdiction_code
    )


def may_run_rounds(user: User, draft: Draft) -> bool:
    """The drafting city's drafters open rounds, record comments from paper and decide."""
    return drafts_here(user, draft)


may_decide = may_run_rounds
may_record = may_run_rounds


def comment_refusal(user: User, round_: Round, today: date) -> str | None:
    """Return why the user may not comment in the round now, or None when they may."""
    draft = round_.draft
    if user.role not in COMMENTING_ROLES:
        return _("您的角色不能提交意见。")
    own = user.jurisdiction_code == draft.jurisdiction_code
    if not own and user.jurisdiction_code not in round_.invited_codes():
        return _("本轮征求意见未邀请您所在的地区。")
    if today < round_.opens:
        return _("本轮征求意见将于 {d} 开始。", d=round_.opens.isoformat())
    if today > round_.closes:
        return _("本轮征求意见已于 {d} 截止。", d=round_.closes.isoformat())
    return None


def require_may_comment(user: User, round_: Round, today: date) -> None:
    """Raise NotPermitted with the reason when the user may not comment in the round now."""
    require_sees(user, round_.draft)
    reason = comment_refusal(user, round_, today)
    if reason:
        raise NotPermitted(reason)


def require_may_decide(user: User, draft: Draft) -> None:
    """Raise NotFound or NotPermitted unless the user is one of the drafting city's drafters."""
    require_sees(user, draft)
    if not may_decide(user, draft):
        raise NotPermitted(_("只有起草该文本的地区的起草人员可以处理意见。"))


def sees_all_comments(user: User, round_: Round) -> bool:
    """The drafting city and admins read every comment; invited cities in shared rounds too."""
    draft = round_.draft
    if user.role == "admin" or user.jurisdiction_code == draft.jurisdiction_code:
        return True
    return round_.visibility == "shared"


def sees_comment(user: User, comment: Comment) -> bool:
    """Return whether the user may read this comment (a reply follows its thread's root)."""
    root = comment
    while root.parent is not None:
        root = root.parent
    if not sees_project(user, root.round.draft.project):
        return False
    return sees_all_comments(user, root.round) or root.jurisdiction_code == user.jurisdiction_code
