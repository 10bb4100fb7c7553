"""Consultation (征求意见): who opens rounds, comments, records, decides, and reads which comments.

Deciding a comment changes (or refuses to change) a draft's text, so whoever edits the draft
runs its rounds, records comments from paper and decides them: the draft's own jurisdiction's
drafters and admins (`workspace.may_edit_draft`). Anyone of a role that comments, advisers
included, comments only in a round that invites their jurisdiction (or on their own draft).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from concord.i18n import gettext as _
from concord.permissions.clauses import either
from concord.permissions.roles import COMMENTING_ROLES, is_admin
from concord.permissions.workspace import may_edit_draft, sees_project
from drafting.errors import NotFound, NotPermitted

if TYPE_CHECKING:
    from comments.consultation.models import Comment, Round
    from concord.accounts.models import User
    from drafting.models import Draft


def require_sees(user: User, draft: Draft) -> None:
    """Raise NotFound when the user may not see the draft's project at all."""
    if not sees_project(user, draft.project):
        raise NotFound(_("找不到该文本。"))


def may_run_rounds(user: User, draft: Draft) -> bool:
    """The draft's own staff open rounds, record comments from paper and decide them."""
    return may_edit_draft(user, draft)


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
    """Raise NotFound or NotPermitted unless the user is one of the draft's own staff."""
    require_sees(user, draft)
    if not may_decide(user, draft):
        raise NotPermitted(_("只有起草该文本的地区的起草人员可以处理意见。"))


def reads_all(user: User, draft, round_):
    """The drafting city and admins read every comment; invited cities in shared rounds too."""
    return either(
        is_admin(user),
        draft.jurisdiction_code == user.jurisdiction_code,
        round_.visibility == "shared",
    )


def reads(user: User, draft, round_, comment):
    """A comment is read by those who read the whole round and by its own jurisdiction."""
    return either(
        reads_all(user, draft, round_), comment.jurisdiction_code == user.jurisdiction_code
    )


def sees_all_comments(user: User, round_: Round) -> bool:
    """Return whether the user reads every comment of the round."""
    return reads_all(user, round_.draft, round_)


def reads_comment(user: User, comment: Comment) -> bool:
    """Return whether the user reads this comment of a project they see (not its replies' root)."""
    return reads(user, comment.round.draft, comment.round, comment)


def comments_filter(user: User, draft: Draft, round_: Round | None = None):
    """Return the SQL condition of `reads` on Comment (and Round, unless one round is given)."""
    from comments.consultation.models import Comment, Round

    return reads(user, draft, round_ if round_ is not None else Round, Comment)


def sees_comment(user: User, comment: Comment) -> bool:
    """Return whether the user may read this comment (a reply follows its thread's root)."""
    root = comment
    while root.parent is not None:
        root = root.parent
    if not sees_project(user, root.round.draft.project):
        return False
    return reads_comment(user, root)
