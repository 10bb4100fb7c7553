"""Pages and /api/v1 endpoints of the comments package."""

from __future__ import annotations

from flask import Flask, g, url_for

from drafting.i18n import gettext as _


def register(app: Flask) -> None:
    """Register the package's blueprints and its links on the draft page."""
    from comments.web import api, pages
    from drafting.web import draft_pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    # create_app runs once per test: add each hook once.
    for hooks, hook in (
        (draft_pages.ARTICLE_LINKS, _article_link),
        (draft_pages.DRAFT_LINKS, _draft_link),
        (draft_pages.ARTICLE_BADGES, _article_badge),
    ):
        if hook not in hooks:
            hooks.append(hook)

    app.jinja_env.globals.update(
        decision_label=pages.decision_label,
        kind_label=pages.kind_label,
        channel_label=pages.channel_label,
    )


def _counts(draft) -> dict:
    """Return the comment counts per article of a draft, once per request."""
    from comments.services.overview import counts_by_article
    from drafting.db import request_session
    from drafting.services.drafts import load_tree

    cache = g.setdefault("comment_counts", {})
    if draft.id not in cache:
        s = request_session()
        cache[draft.id] = counts_by_article(s, g.user, draft, load_tree(s, draft))
    return cache[draft.id]


def _article_link(draft, article) -> list[dict]:
    cell = _counts(draft).get(article.id)
    n = cell.total if cell else 0
    label = _("意见（{n}）", n=n) if n else _("意见")
    url = url_for("comments.article_panel", draft_id=draft.id, provision_id=article.id)
    return [{"url": url, "label": label}]


def _article_badge(draft, article) -> list[str]:
    cell = _counts(draft).get(article.id)
    return [str(cell.total)] if cell else []


def _draft_link(draft) -> list[dict]:
    return [{"url": url_for("comments.round_list", draft_id=draft.id), "label": _("征求意见")}]
