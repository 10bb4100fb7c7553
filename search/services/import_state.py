"""Whether a statute import is under way and how far it has got, for every process to read."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from sqlalchemy import select, text
from sqlalchemy.engine import Connection, Engine

from concord.db import utcnow
from concord.i18n import gettext as _
from search.models import SearchImport

MEND = "concord reindex --precedents <法规文件夹>"
# An import writes its progress at least this often; silence beyond means it died elsewhere.
STALE_AFTER = timedelta(minutes=10)


def write_state(engine: Engine, **values) -> None:
    """Record the import state (`building` with done/total, `ready`, `interrupted`) and commit."""
    row = {
        "state": values.get("state", "ready"),
        "done": int(values.get("done", 0)),
        "total": int(values.get("total", 0)),
        "pid": int(values.get("pid", os.getpid())),
        "host": values.get("host", socket.gethostname()[:100]),
        "updated_at": utcnow(),
    }
    with engine.begin() as conn:
        put_state(conn, row)


def put_state(conn: Connection, row: dict) -> None:
    """Write the state row in the caller's transaction."""
    changed = conn.execute(
        text(
            "UPDATE search_import SET state = :state, done = :done, total = :total, pid = :pid, "
            "host = :host, updated_at = :updated_at WHERE id = 1"
        ),
        row,
    ).rowcount
    if not changed:
        conn.execute(
            text(
                "INSERT INTO search_import (id, state, done, total, pid, host, updated_at) "
                "VALUES (1, :state, :done, :total, :pid, :host, :updated_at)"
            ),
            row,
        )


def read_state(conn: Connection) -> dict:
    """Return the import state: `missing`, `ready`, `building` (done of total) or `interrupted`."""
    table = SearchImport.__table__
    r = conn.execute(select(table).where(table.c.id == 1)).mappings().first()
    if r is None:
        return {"state": "missing", "done": 0, "total": 0}
    out = {"state": r["state"], "done": r["done"], "total": r["total"]}
    if out["state"] == "building" and _dead(r):
        out["state"] = "interrupted"
    return out


def _dead(r) -> bool:
    if r["host"] == socket.gethostname()[:100] and not _alive(r["pid"]):
        return True
    when = r["updated_at"]
    if when is not None and when.tzinfo is None:  # SQLite hands back naive UTC
        from datetime import UTC

        when = when.replace(tzinfo=UTC)
    return when is not None and utcnow() - when > STALE_AFTER


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def with_notice(state: dict) -> dict:
    """Return the state with a notice for the adviser while the statutes are incomplete."""
    st = dict(state)
    if st["state"] == "building":
        st["notice"] = _(
            "法规索引正在建立：已处理 {done} / {total} 个文件，结果可能不完整，请稍后再试。",
            done=st["done"],
            total=st["total"],
        )
    elif st["state"] == "missing":
        st["notice"] = _("检索索引尚未建立：请运行 concord precedents import 导入法规。")
    elif st["state"] == "interrupted":
        st["mend"] = MEND
        st["notice"] = _(
            "法规索引上次未建完（已处理 {done} / {total} 个文件）：请运行 {cmd} 补全。",
            done=st["done"],
            total=st["total"],
            cmd=MEND,
        )
    return st
