"""Database engine and sessions: one engine per app, one session per request or command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

# Whether the work being served changes data (a POST, say); the web layer sets it per request.
writing: ContextVar[bool] = ContextVar("concord_writing", default=False)

# Stable constraint names so Alembic migrations behave the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every Concord model."""

    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def normalise_url(url: str) -> str:
    """Use the installed psycopg 3 driver for plain postgresql:// (and Heroku-style postgres://)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, *, busy_seconds: float = 30) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout for concurrent writers."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from drafting.errors import DatabaseUnavailable

    url = normalise_url(url)
    try:
        return _make_engine(url, busy_seconds)
    except (ArgumentError, NoSuchModuleError, ValueError) as err:
        raise DatabaseUnavailable(
            f"DATABASE_URL 无法使用（{url.split('@')[-1]}）：{err}。"
            "示例：postgresql+psycopg://user:password@host/concord 或 sqlite:////path/concord.db"
        ) from None


def _make_engine(url: str, busy_seconds: float) -> Engine:
    if url.startswith("sqlite"):
        # SQLite lets one writer in at a time; the others wait up to busy_seconds for their
        # turn, after which the request answers 503 with Retry-After (concord.app).
        # Connections are cheap files here; a request may hold two (its own, the indexer's).
        engine = create_engine(
            url,
            connect_args={"timeout": busy_seconds, "check_same_thread": False},
            pool_size=20,
            max_overflow=40,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # Python's sqlite3 opens transactions lazily; let SQLAlchemy emit BEGIN itself so
            # that SELECT ... then UPDATE happen in one transaction.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # A request that changes data takes the write lock at the start of each transaction,
            # so concurrent writers queue (busy_timeout) instead of failing when one of them
            # upgrades a read snapshot that another has since outdated. Reads never wait.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writing.get() else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory used by requests and commands."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """One user action, one transaction: commit when the block ends, roll back if it raises.

    A unit opened inside another joins it: only the outermost commits or rolls back, so a
    service made of smaller actions (a revision import, a change carried to every city) is one
    transaction, and a refusal half-way leaves nothing behind.
    """
    depth = session.info.get("unit_of_work", 0)
    session.info["unit_of_work"] = depth + 1
    try:
        yield session
        if depth == 0:
            session.commit()
    except BaseException:
        if depth == 0:
            session.rollback()
        raise
    finally:
        session.info["unit_of_work"] = depth


def init_app(app) -> None:
    """Attach an engine and a session factory to the app; close the request's session after."""
    from flask import g

    engine = make_engine(
        app.config["DATABASE_URL"], busy_seconds=app.config.get("SQLITE_BUSY_SECONDS", 30)
    )
    app.extensions["concord_engine"] = engine
    app.extensions["concord_sessions"] = make_sessionmaker(engine)

    @app.teardown_appcontext
    def _close_session(_exc):
        s = g.pop("db_session", None)
        if s is not None:
            s.close()


def request_session() -> Session:
    """Return the session of the current app context, opening it on first use."""
    from flask import current_app, g

    if "db_session" not in g:
        g.db_session = current_app.extensions["concord_sessions"]()
    return g.db_session
