"""Concord search: precedent and workspace search in the database's own full-text engine."""


def init_app(app, sources=()) -> None:
    """Index workspace documents with every commit; `sources`: other packages' records to index."""
    from search.services.follow import follow_edits

    app.extensions["concord_search_sources"] = tuple(sources)
    if app.config.get("SEARCH_FOLLOW_EDITS", True):
        follow_edits(app.extensions["concord_sessions"], tuple(sources))

    from drafting.web.draft_pages import ARTICLE_LINKS

    if _similar_link not in ARTICLE_LINKS:
        ARTICLE_LINKS.append(_similar_link)


def _similar_link(draft, article) -> list[dict]:
    from flask import url_for

    from concord.i18n import gettext as _

    return [
        {
            "url": url_for("search.similar", draft_id=draft.id, provision_id=article.id),
            "label": _("相似条文"),
        }
    ]
