"""The comments package's lines on the home page: rounds, decisions, replies, outcomes, opinions."""

from __future__ import annotations

from flask import url_for
from sqlalchemy.orm import Session

from comments.consultation.services import overview
from comments.opinions.services import triage
from comments.proposals.models import OPEN_STATUSES
from concord.accounts.models import User
from concord.clock import today
from concord.i18n import gettext as _
from concord.permissions.opinions import handles_opinions
from concord.web.home import Task


def consultation_tasks(session: Session, user: User) -> list[Task]:
    """Rounds open to my city, comments awaiting my decision, replies, my city's outcomes."""
    todo = overview.attention(session, user, today())
    decided = [c for c in overview.outcomes(session, user) if c.disposition is not None]
    attention = url_for("comments.attention")
    tasks = [Task(_("向本地区征求意见的轮次"), len(todo.open_rounds), attention)]
    if user.role in ("admin", "drafter"):
        tasks.append(Task(_("待我处理的意见"), sum(n for _d, n in todo.to_decide), attention))
    tasks.append(Task(_("对我的意见的回复"), len(todo.replies), attention))
    tasks.append(Task(_("本地区意见已有处理结果"), len(decided), url_for("comments.outcomes")))
    return tasks


def opinion_tasks(session: Session, user: User) -> list[Task]:
    """Opinions in my jurisdiction's queue not yet answered, for those who handle them."""
    if not handles_opinions(user, user.jurisdiction_code):
        return []
    waiting = [
        i
        for i in triage.list_opinions(session, user, user.jurisdiction_code)
        if i.proposal.status in OPEN_STATUSES
    ]
    return [Task(_("待办理的群众意见"), len(waiting), url_for("stations.queue"))]
