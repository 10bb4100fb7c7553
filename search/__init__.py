"""Concord search: precedent and workspace search over a Whoosh index."""


def init_app(app) -> None:
    """Keep the workspace documents of the index in step with committed drafts.

    Every edit records its index work in the database (the outbox). INDEX_WORKER says who
    applies it: "thread" (default: a background thread of each web process, one at a time),
    "inline" (before the commit returns; tests), "off" (a separate `concord worker`).
    """
    from search.services import outbox

    if not app.config.get("SEARCH_FOLLOW_EDITS", True):
        return
    factory, index_dir = app.extensions["concord_sessions"], app.config["INDEX_DIR"]
    mode = app.config.get("INDEX_WORKER") or ("inline" if app.config.get("TESTING") else "thread")
    if mode == "inline":
        outbox.record_edits(factory, on_commit=lambda: outbox.apply_outbox(factory, index_dir))
    elif mode == "thread":
        worker = outbox.OutboxWorker(factory, index_dir)
        app.extensions["concord_outbox"] = worker
        outbox.record_edits(factory, on_commit=worker.notify)
        # Started with the first request, so that commands which never serve do not poll.
        app.before_request(worker.start)
    else:
        outbox.record_edits(factory)

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
