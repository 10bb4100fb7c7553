"""Index workspace documents in the transaction of the change that makes them.

Listeners on the session factory note, at each flush, which drafts and registered records
(proposals, opinions) changed; just before the commit their rows in the search store are
replaced through the same connection. The edit and its index entries commit, or roll back,
together: nothing to queue, no worker, and every process sees both at once.
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from drafting.models import Draft, Provision, Revision, Version
from drafting.services.drafts import load_tree
from search import store
from search.services.workspace import draft_documents

TEXT_ACTIONS = {"edit", "restore", "propagate", "apply"}


def follow_edits(factory: sessionmaker, sources=()) -> None:
    """Keep the workspace rows in step with every commit of `factory`'s sessions.

    A session whose `info["defer_index"]` is set (bulk loads) is not followed; whoever set it
    runs `reindex_workspace` afterwards.
    """

    @event.listens_for(factory, "after_flush")
    def _collect(session, _flush_context):
        if session.info.get("defer_index") or session.info.get("indexing"):
            return
        changes = session.info.setdefault("index_changes", {"drafts": {}, "records": {}})
        merge_changes(changes["drafts"], touched_drafts(session))
        for source in sources:
            for obj in (*session.new, *session.dirty, *session.deleted):
                if isinstance(obj, source.model):
                    changes["records"][(source, obj.id)] = obj in session.deleted

    @event.listens_for(factory, "before_commit")
    def _apply(session):
        if session.info.get("defer_index"):
            return
        session.flush()
        changes = session.info.pop("index_changes", None)
        if not changes:
            return
        session.info["indexing"] = True
        try:
            for draft_id, change in sorted(changes["drafts"].items()):
                apply_change(session, draft_id, change)
            for (source, obj_id), deleted in changes["records"].items():
                store.delete_keys(session.connection(), [f"{source.prefix}:{obj_id}"])
                obj = None if deleted else session.get(source.model, obj_id)
                if obj is not None:
                    store.write_docs(session.connection(), source.documents(obj))
        finally:
            session.info.pop("indexing", None)

    @event.listens_for(factory, "after_rollback")
    def _forget(session):
        session.info.pop("index_changes", None)


def touched_drafts(session: Session) -> dict[int, dict]:
    """Return, per draft, what this flush changed: some articles' text, versions, or structure."""
    out: dict[int, dict] = {}

    def entry(draft_id):
        return out.setdefault(draft_id, {"full": False, "provisions": set(), "versions": set()})

    for obj in session.new:
        if isinstance(obj, Revision):
            prov = session.get(Provision, obj.provision_id)
            if prov is None:
                continue
            if obj.action in TEXT_ACTIONS:
                entry(prov.draft_id)["provisions"].add(prov.id)
            else:
                entry(prov.draft_id)["full"] = True
        elif isinstance(obj, Version) and obj.draft_id is not None:
            entry(obj.draft_id)["versions"].add(obj.id)
        elif isinstance(obj, Draft) and obj.id is not None:
            entry(obj.id)["full"] = True
    for obj in session.deleted:
        if isinstance(obj, Draft):
            entry(obj.id)["full"] = True
    for obj in session.dirty:
        # Every edit touches the draft's updated_at; only a new title or place changes its rows.
        if isinstance(obj, Draft):
            attrs = inspect(obj).attrs
            if attrs.title.history.has_changes() or attrs.jurisdiction_code.history.has_changes():
                entry(obj.id)["full"] = True
    return out


def merge_changes(into: dict, more: dict) -> None:
    """Fold the per-draft changes `more` into `into`."""
    for draft_id, change in more.items():
        have = into.setdefault(draft_id, {"full": False, "provisions": set(), "versions": set()})
        have["full"] |= change["full"]
        have["provisions"] |= change["provisions"]
        have["versions"] |= change["versions"]


def apply_change(session: Session, draft_id: int, change: dict) -> None:
    """Bring one draft's rows in the store up to date, in the session's transaction."""
    conn = session.connection()
    draft = session.get(Draft, draft_id)
    if draft is None:
        store.delete_docs(conn, "d.draft_id = :draft", {"draft": draft_id})
        return
    tree = load_tree(session, draft)
    # Only the versions this change added come back, besides the current text's rows.
    docs = draft_documents(session, draft, versions=change["versions"], tree=tree)
    if change["full"]:
        # Labels may all have moved: replace the current text's rows, keep the versions'.
        store.delete_docs(
            conn,
            "d.draft_id = :draft AND d.key LIKE :current",
            {"draft": draft.id, "current": f"draft:{draft.id}:%"},
        )
        wanted = {d["key"] for d in docs if d["key"].startswith("draft:")}
    else:
        articles = [tree.article_of(pid) for pid in change["provisions"] if pid in tree.nodes]
        wanted = {f"draft:{draft.id}:{a.id}" for a in articles if a is not None}
    wanted |= {d["key"] for d in docs if d["key"].startswith("version:")}
    chosen = [d for d in docs if d["key"] in wanted]
    store.delete_keys(conn, [d["key"] for d in chosen])
    store.write_docs(conn, chosen)
