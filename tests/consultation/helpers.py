"""A consultation on a small common text: the lead's drafter, invited and uninvited cities."""

from __future__ import annotations

from datetime import timedelta

from comments.consultation.services import rounds
from concord import clock
from concord.db import unit_of_work
from drafting.services.drafts import load_tree
from tests.helpers import bearer, make_draft, make_project, make_user


def consultation(
    session, *, visibility="shared", opens=None, closes=None, text: str | None = None
) -> dict:
    """Create 徐州's project and common text with a round open today, inviting 宿迁 and 淮北."""
    lead = make_user(session, "xz_drafter", "320300")
    project = make_project(session, lead, participants=("321300", "340600", "371300"))
    draft = make_draft(session, lead, project, **({"text": text} if text else {}))
    today = clock.today()  # the app's clock: Beijing's date, whatever the hour in UTC
    with unit_of_work(session):
        round_ = rounds.build_round(
            session,
            lead,
            draft,
            title="第一轮征求意见",
            opens=opens or today - timedelta(days=1),
            closes=closes or today + timedelta(days=10),
            invited=["321300", "340600"],
            visibility=visibility,
        )
    users = {
        "lead": lead,
        "lead_commenter": make_user(session, "xz_commenter", "320300", "commenter"),
        "partner": make_user(session, "sq_commenter", "321300", "commenter"),
        "partner_drafter": make_user(session, "sq_drafter", "321300", "drafter"),
        "other_partner": make_user(session, "hb_commenter", "340600", "commenter"),
        "uninvited": make_user(session, "ly_commenter", "371300", "commenter"),
        "outsider": make_user(session, "shq_drafter", "411400", "drafter"),
    }
    tree = load_tree(session, draft)
    articles = {a.label: a for a in tree.articles()}
    return {
        "project": project,
        "draft": draft,
        "round": round_,
        "users": users,
        "articles": articles,
        "headers": {k: bearer(session, u) for k, u in users.items()},
    }


def comment(client, c, who="partner", label="第三条", **body):
    """Post a comment on an article through the API as `who`."""
    body.setdefault("body", "建议明确规划的期限。")
    pid = c["articles"][label].id
    return client.post(f"/api/v1/provisions/{pid}/comments", json=body, headers=c["headers"][who])
