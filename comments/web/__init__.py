"""Pages and /api/v1 endpoints of the comments package."""

from __future__ import annotations

from flask import Flask, g, url_for

from concord.i18n import gettext as _


def register(app: Flask) -> None:
    """Register the package's blueprints and its links on the draft page."""
    from comments.consultation.web import api, pages
    from comments.opinions.web import api as opinion_api
    from comments.opinions.web import intake as intake_pages
    from comments.opinions.web import pages as station_pages
    from comments.proposals.web import hooks as proposal_hooks
    from comments.web.openapi_ops import OPERATIONS
    from concord.web.openapi import register_operations
    from drafting.web import draft_pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    proposal_hooks.register(app)
    app.register_blueprint(intake_pages.bp)
    app.register_blueprint(station_pages.bp)
    app.register_blueprint(opinion_api.bp)
    # Describe and check the endpoints above (register_operations skips those already known).
    register_operations(OPERATIONS)
    # create_app runs once per test: add each hook once.
    for hooks, hook in (
        (draft_pages.ARTICLE_LINKS, _article_link),
        (draft_pages.DRAFT_LINKS, _draft_link),
        (draft_pages.ARTICLE_BADGES, _article_badge),
    ):
        if hook not in hooks:
            hooks.append(hook)

    from comments.web.tasks import consultation_tasks, opinion_tasks
    from concord.web.home import add_task_counter

    add_task_counter(app, consultation_tasks)
    add_task_counter(app, opinion_tasks)
    app.jinja_env.globals.update(
        decision_label=pages.decision_label,
        kind_label=pages.kind_label,
        channel_label=pages.channel_label,
    )


def _article_total(draft, article) -> int:
    """Return how many comments the user may read on an article, counted once per request."""
    from comments.consultation.services.overview import article_count, counts_by_provision
    from concord.db import request_session

    state = g.get("comment_counts")
    if state is None or state[0] != draft.id:
        state = g.comment_counts = (
            draft.id,
            counts_by_provision(request_session(), g.user, draft),
            {},
            url_for("comments.article_panel", draft_id=draft.id, provision_id=0),
        )
    totals = state[2]
    if article.id not in totals:
        totals[article.id] = article_count(state[1], article).total if state[1] else 0
    return totals[article.id]


def _article_link(draft, article) -> list[dict]:
    n = _article_total(draft, article)
    label = _("意见（{n}）", n=n) if n else _("意见")
    # One url_for per page, not per article: the draft page lists hundreds of articles.
    url = g.comment_counts[3].replace("/provisions/0/", f"/provisions/{article.id}/")
    return [{"url": url, "label": label}]


def _article_badge(draft, article) -> list[str]:
    n = _article_total(draft, article)
    return [str(n)] if n else []


def _draft_link(draft) -> list[dict]:
    return [{"url": url_for("comments.round_list", draft_id=draft.id), "label": _("征求意见")}]
