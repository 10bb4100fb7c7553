"""Import a folder of statutes into the precedent index, on both cores, incrementally."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from concord.i18n import gettext as _
from drafting.errors import BadInput
from search.core.analysis import init_jieba
from search.index import (
    IndexUnavailable,
    check_index,
    load_sources,
    open_index,
    save_sources,
    whoosh_doc,
    write_status,
    writer,
)
from search.statutes import SUFFIXES, corpus_root, precedent_docs, read_manifest

# Commit this often: searches see progress and a crash loses one batch at most. Each commit of
# the parallel writer adds a segment per process, so batches stay large.
BATCH_FILES = 1000
PARALLEL_FROM = 200  # files; below this, starting writer processes costs more than it saves
STATUS_EVERY = 20  # files between two updates of status.json

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
    replaced: str = ""  # a damaged index set aside under this name, then rebuilt

    def to_json(self) -> dict:
        return {**self.__dict__, "failed": [list(f) for f in self.failed]}


def import_directory(
    index_dir, src_dir, *, progress: Progress | None = None, procs: int | None = None
) -> ImportStats:
    """Index a folder of statutes incrementally: changed files again, deleted files out."""
    started = time.perf_counter()
    # Resolved: a folder reached through a symbolic link must match the corpus root it lies in.
    src = Path(src_dir).resolve()
    if not src.is_dir():
        raise BadInput(_("不是文件夹：{dir}", dir=src_dir))
    index_dir = Path(index_dir)
    replaced = ""
    try:
        ix = open_index(index_dir)
        check_index(ix, index_dir)
    except IndexUnavailable:
        replaced = _set_aside(index_dir)
        ix = open_index(index_dir)
    stats = _import(ix, index_dir, src, progress, procs)
    stats.replaced = replaced
    stats.seconds = round(time.perf_counter() - started, 2)
    return stats


def _set_aside(index_dir: Path) -> str:
    """Move a damaged index away for inspection; a fresh one is then built in its place."""
    aside = index_dir.with_name(f"{index_dir.name}.broken-{time.strftime('%Y%m%d%H%M%S')}")
    shutil.move(str(index_dir), aside)
    index_dir.mkdir(parents=True, exist_ok=True)
    return str(aside)


def _import(ix, index_dir: Path, src: Path, progress, procs) -> ImportStats:
    base = corpus_root(src)
    manifest = read_manifest(base / "manifest.tsv")
    files = sorted(p for p in src.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
    sources = load_sources(index_dir)
    known: dict = sources.setdefault(str(base), {})
    stats = ImportStats(files=len(files))
    seen: set[str] = set()
    pending: list[tuple[str, Path, dict, dict]] = []
    for p in files:
        rel = p.relative_to(base).as_posix()
        seen.add(rel)
        st = p.stat()
        row = manifest.get(rel, {})
        stamp = {"mtime": st.st_mtime_ns, "size": st.st_size, "row": _digest(row)}
        old = known.get(rel)
        if old and all(old.get(k) == v for k, v in stamp.items()):
            stats.unchanged += 1
            continue
        stamp["sha1"] = hashlib.sha1(p.read_bytes()).hexdigest()
        if old and old.get("sha1") == stamp["sha1"] and old.get("row") == stamp["row"]:
            known[rel] = stamp  # touched but not changed
            stats.unchanged += 1
        else:
            pending.append((rel, p, row, stamp))
    inside = src.resolve().relative_to(base).as_posix()
    prefix = "" if inside == "." else inside + "/"
    gone = [rel for rel in known if rel.startswith(prefix) and rel not in seen]
    if not pending and not gone:
        save_sources(index_dir, sources)
        return stats

    done = stats.unchanged
    write_status(index_dir, state="building", done=done, total=len(files), pid=os.getpid())
    if procs is None:
        procs = min(os.cpu_count() or 1, 2) if len(pending) >= PARALLEL_FROM else 1
    init_jieba()  # loaded once here, inherited by the writer processes
    w = writer(ix, procs)
    try:
        for rel in gone:
            w.delete_by_term("path", rel)
            del known[rel]
            stats.removed += 1
        for n, (rel, p, row, stamp) in enumerate(pending, 1):
            is_new = rel not in known
            if not is_new:
                w.delete_by_term("path", rel)
            try:
                docs = precedent_docs(rel, p, row)
            except Exception as exc:  # one bad file must not stop an import
                stats.failed.append((rel, str(exc) or type(exc).__name__))
                known.pop(rel, None)
            else:
                for doc in docs:
                    w.add_document(**whoosh_doc(doc))
                stats.articles += len(docs)
                known[rel] = stamp
                if is_new:
                    stats.added += 1
                else:
                    stats.updated += 1
            done += 1
            if progress:
                progress(done, len(files), rel)
            if n % BATCH_FILES == 0 and n < len(pending):
                w.commit()
                save_sources(index_dir, sources)
                w = writer(ix, procs)
            if n % STATUS_EVERY == 0:
                write_status(
                    index_dir, state="building", done=done, total=len(files), pid=os.getpid()
                )
        w.commit()
    except BaseException:
        w.cancel()
        # Searches then say the import was cut short and how to finish it.
        write_status(index_dir, state="interrupted", done=done, total=len(files))
        raise
    save_sources(index_dir, sources)
    write_status(index_dir, state="ready", done=len(files), total=len(files))
    return stats


def _digest(row: dict) -> str:
    return hashlib.sha1(json.dumps(row, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
