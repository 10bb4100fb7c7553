"""Proposals on drafting's pages and API: "inspired by" badges, links, the provision's proposals."""

from __future__ import annotations

from flask import Flask, g, url_for

from comments.proposals.services import links
from concord.db import request_session
from concord.i18n import gettext as _


def _badges(draft, article) -> list[dict]:
    cache = g.setdefault("proposal_badges", {})
    if draft.id not in cache:
        cache[draft.id] = links.badges_for_draft(request_session(), draft)
    by_provision = cache[draft.id]
    if not by_provision:
        return []
    ids: list[int] = []
    stack = [article]
    while stack:
        node = stack.pop()
        ids.append(node.id)
        stack.extend(node.children)
    out, seen = [], set()
    for pid in ids:
        for badge in by_provision.get(pid, []):
            if badge.proposal_id in seen:
                continue
            seen.add(badge.proposal_id)
            out.append(
                {
                    "url": url_for("proposals.proposal_page", proposal_id=badge.proposal_id),
                    "label": _("源自{name}", name=badge.name),
                    "title": badge.title,
                    "cls": "badge proposal-badge",
                }
            )
    return out


def _report_link(draft) -> list[dict]:
    return [
        {
            "url": url_for("proposals.traceability_report", project_id=draft.project_id),
            "label": _("建议意见落实情况"),
        }
    ]


def _provision_proposals(session, user, prov) -> list[dict]:
    return links.proposals_for_provision(session, user, prov)


def register(app: Flask) -> None:
    """Register the proposal blueprints and hook the proposals into drafting's pages and API."""
    from comments.proposals.web.api import api
    from comments.proposals.web.pages import bp
    from drafting.web import api as drafting_api
    from drafting.web.draft_pages import ARTICLE_LINKS, DRAFT_LINKS

    app.register_blueprint(bp)
    app.register_blueprint(api)
    if _badges not in ARTICLE_LINKS:
        ARTICLE_LINKS.insert(0, _badges)
    if _report_link not in DRAFT_LINKS:
        DRAFT_LINKS.append(_report_link)
    if _provision_proposals not in drafting_api.PROVISION_PROPOSALS:
        drafting_api.PROVISION_PROPOSALS.append(_provision_proposals)
