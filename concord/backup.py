"""`concord backup` / `concord restore`: a consistent copy of the database, taken while serving.

SQLite: the online backup API copies one snapshot of the database (WAL mode: writers keep
working meanwhile). PostgreSQL: `pg_dump --format=custom`,
restored with `pg_restore --clean`. The search index is not in the backup: `concord reindex`
rebuilds it from the database.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

from drafting.errors import BadInput, DatabaseUnavailable

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


def _sqlite_path(engine: Engine) -> str:
    path = engine.url.database
    if not path or path == ":memory:":
        raise BadInput("an in-memory SQLite database cannot be backed up")
    return path


def _libpq_url(engine: Engine) -> str:
    url = make_url(engine.url.render_as_string(hide_password=False)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise DatabaseUnavailable(
            f"{name} is needed for PostgreSQL backups; install postgresql-client"
        )
    return found


def backup(engine: Engine, target: Path) -> int:
    """Write a consistent copy of the database to `target`; return its size in bytes."""
    target = Path(target)
    if target.exists() and target.is_dir():
        raise BadInput(f"{target} is a folder; give a file name")
    partial = target.with_name(target.name + ".partial")
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(_sqlite_path(engine), timeout=30)
        copy = sqlite3.connect(partial)
        try:
            # One step: in WAL mode it reads one snapshot while writers carry on (a stepwise
            # copy would start again after every write and might never finish on a busy day).
            source.backup(copy, pages=-1)
        finally:
            copy.close()
            source.close()
    elif engine.dialect.name == "postgresql":
        done = subprocess.run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial),
             "--dbname", _libpq_url(engine)],
            capture_output=True,
            text=True,
        )  # fmt: skip
        if done.returncode:
            partial.unlink(missing_ok=True)
            raise DatabaseUnavailable(f"pg_dump failed: {done.stderr.strip()[:300]}")
    else:
        raise BadInput(f"no backup for {engine.dialect.name} databases")
    partial.replace(target)
    return target.stat().st_size


def restore(engine: Engine, source: Path) -> None:
    """Replace the database's contents with a backup made by `backup` (stop the server first)."""
    source = Path(source)
    if not source.is_file():
        raise BadInput(f"{source}: no such file")
    head = source.read_bytes()[:16]
    engine.dispose()
    if engine.dialect.name == "sqlite":
        if head != SQLITE_MAGIC:
            raise BadInput(f"{source} is not a SQLite backup")
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in backup_db.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                raise BadInput(f"{source} is not a Concord database")
            live = sqlite3.connect(_sqlite_path(engine), timeout=30)
            try:
                backup_db.backup(live)
            finally:
                live.close()
        finally:
            backup_db.close()
    elif engine.dialect.name == "postgresql":
        if not head.startswith(PGDUMP_MAGIC):
            raise BadInput(f"{source} is not a pg_dump archive (concord backup on PostgreSQL)")
        done = subprocess.run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--dbname", _libpq_url(engine), str(source)],
            capture_output=True,
            text=True,
        )  # fmt: skip
        if done.returncode:
            raise DatabaseUnavailable(f"pg_restore failed: {done.stderr.strip()[:300]}")
    else:
        raise BadInput(f"no restore for {engine.dialect.name} databases")
