"""Import a folder of statutes into the search store, incrementally, in batches others can see."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from concord.i18n import gettext as _
from drafting.errors import BadInput
from search import store
from search.core.validity import Statute, supersession, validity
from search.models import StatuteFile
from search.services.import_state import put_state, write_state
from search.statutes import SUFFIXES, corpus_root, precedent_docs, read_manifest

# Files per transaction: searches see progress, and a crash loses one batch at most.
BATCH_FILES = 200

ANALYZE_FROM = 200  # files changed; a bigger import tidies the index afterwards

Progress = Callable[[int, int, str], None]


@dataclass
class ImportStats:
    """What one `import_directory` run did."""

    files: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    articles: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {**self.__dict__, "failed": [list(f) for f in self.failed]}


def import_directory(
    engine: Engine, src_dir, *, progress: Progress | None = None, batch: int = BATCH_FILES
) -> ImportStats:
    """Import a folder of statutes incrementally: changed files again, deleted files out."""
    started = time.perf_counter()
    # Resolved: a folder reached through a symbolic link must match the corpus root it lies in.
    src = Path(src_dir).resolve()
    if not src.is_dir():
        raise BadInput(_("不是文件夹：{dir}", dir=src_dir))
    base = corpus_root(src)
    manifest = read_manifest(base / "manifest.tsv")
    files = sorted(p for p in src.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
    table = StatuteFile.__table__
    with engine.connect() as conn:
        known = {
            r["path"]: r
            for r in conn.execute(select(table).where(table.c.root == str(base))).mappings()
        }
    stats = ImportStats(files=len(files))
    pending, touched = [], []
    seen: set[str] = set()
    for p in files:
        rel = p.relative_to(base).as_posix()
        seen.add(rel)
        st = p.stat()
        row = manifest.get(rel, {})
        stamp = {"mtime_ns": st.st_mtime_ns, "size": st.st_size, "row_digest": _digest(row)}
        old = known.get(rel)
        if old and all(old[k] == v for k, v in stamp.items()):
            stats.unchanged += 1
            continue
        stamp["sha1"] = hashlib.sha1(p.read_bytes()).hexdigest()
        if old and old["sha1"] == stamp["sha1"] and old["row_digest"] == stamp["row_digest"]:
            touched.append({"path": rel, **stamp})  # touched but not changed
            stats.unchanged += 1
        else:
            pending.append((rel, p, row, stamp))
    inside = src.relative_to(base).as_posix()
    prefix = "" if inside == "." else inside + "/"
    gone = [rel for rel in known if rel.startswith(prefix) and rel not in seen]
    if touched:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE statute_file SET mtime_ns = :mtime_ns, size = :size WHERE path = :path"
                ),
                touched,
            )
    if pending or gone:
        _run(engine, str(base), files, pending, gone, known, stats, progress, batch)
    stats.seconds = round(time.perf_counter() - started, 2)
    return stats


def _run(engine, root, files, pending, gone, known, stats, progress, batch) -> None:
    done, total = stats.unchanged, len(files)
    write_state(engine, state="building", done=done, total=total)
    try:
        if gone:
            with engine.begin() as conn:
                _forget(conn, gone)
            stats.removed = len(gone)
        for start in range(0, len(pending), batch):
            rows, docs, replaced = [], [], []
            for rel, p, row, stamp in pending[start : start + batch]:
                try:
                    found = precedent_docs(rel, p, row)
                except Exception as exc:  # one bad file must not stop an import
                    stats.failed.append((rel, str(exc) or type(exc).__name__))
                    if rel in known:
                        replaced.append(rel)
                else:
                    docs.extend(found)
                    rows.append(_file_row(root, rel, stamp, found, row))
                    stats.articles += len(found)
                    if rel in known:
                        replaced.append(rel)
                        stats.updated += 1
                    else:
                        stats.added += 1
                done += 1
                if progress:
                    progress(done, total, rel)
            with engine.begin() as conn:
                _forget(conn, replaced)
                store.write_docs(conn, docs)
                if rows:
                    conn.execute(StatuteFile.__table__.insert(), rows)
                put_state(conn, _state("building", done, total))
        with engine.begin() as conn:
            apply_validity(conn)
            if len(pending) >= ANALYZE_FROM:
                store.analyze(conn)
            put_state(conn, _state("ready", total, total))
    except BaseException:
        # Searches then say the import was cut short and how to finish it.
        write_state(engine, state="interrupted", done=done, total=total)
        raise


def _state(state: str, done: int, total: int) -> dict:
    import socket

    from concord.db import utcnow

    return {
        "state": state,
        "done": done,
        "total": total,
        "pid": os.getpid(),
        "host": socket.gethostname()[:100],
        "updated_at": utcnow(),
    }


def _forget(conn, paths: list[str]) -> None:
    for i in range(0, len(paths), 200):
        chunk = paths[i : i + 200]
        store.delete_docs(conn, "d.kind = 'precedent' AND d.path IN :paths", {"paths": chunk})
        conn.execute(
            store.bound("DELETE FROM statute_file WHERE path IN :p", {"p": chunk}), {"p": chunk}
        )


def _file_row(root: str, rel: str, stamp: dict, docs: list[dict], row: dict) -> dict:
    first = docs[0] if docs else {}
    return {
        "path": rel,
        "root": root,
        **stamp,
        "title": first.get("law") or row.get("title") or "",
        "jurisdiction": first.get("jurisdiction") or "",
        "level": first.get("level") or "",
        "date": first.get("date") or "",
        "expired": first.get("validity") == "expired" or row.get("expired_flag_in_repo_db") == "1",
        "superseded_by": None,
    }


def apply_validity(conn) -> int:
    """Label every imported statute in force, superseded or expired; return how many changed."""
    table = StatuteFile.__table__
    files = list(conn.execute(select(table)).mappings())
    statutes = {
        f["path"]: Statute(f["path"], f["title"], f["jurisdiction"], f["date"], f["expired"])
        for f in files
    }
    replaced = supersession(statutes.values())
    changes = [
        {
            "path": f["path"],
            "by": replaced.get(f["path"]),
            "v": validity(statutes[f["path"]], replaced),
        }
        for f in files
        if f["superseded_by"] != replaced.get(f["path"])
    ]
    if changes:
        conn.execute(
            text("UPDATE statute_file SET superseded_by = :by WHERE path = :path"), changes
        )
        conn.execute(
            text(
                "UPDATE search_doc SET validity = :v WHERE kind = 'precedent' AND path = :path "
                "AND validity <> :v"
            ),
            changes,
        )
    return len(changes)


def _digest(row: dict) -> str:
    return hashlib.sha1(json.dumps(row, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
