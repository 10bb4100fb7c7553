"""Concord search: precedent and workspace search over a Whoosh index."""


def init_app(app) -> None:
    """Keep the workspace documents of the index in step with committed drafts."""
    from search.services.workspace import follow_commits

    if app.config.get("SEARCH_FOLLOW_EDITS", True):
        follow_commits(
            app.extensions["concord_sessions"],
            app.config["INDEX_DIR"],
            inline=app.config.get("TESTING", False) or app.config.get("SEARCH_INLINE", False),
        )

    from drafting.web.draft_pages import ARTICLE_LINKS

    if _similar_link not in ARTICLE_LINKS:
        ARTICLE_LINKS.append(_similar_link)


def _similar_link(draft, article) -> list[dict]:
    from flask import url_for

    from drafting.i18n import gettext as _

    return [
        {
            "url": url_for("search.similar", draft_id=draft.id, provision_id=article.id),
            "label": _("相似条文"),
        }
    ]
