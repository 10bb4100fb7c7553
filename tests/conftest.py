"""Fixtures only: an app on SQLite or PostgreSQL, a client, a session, sign-in (`auth`).

Helpers (make_user, make_project, make_draft, bearer, csrf_of …) are in tests/helpers.py.

The database is SQLite in a temporary folder unless CONCORD_TEST_DATABASE_URL names another
(CI runs the suite a second time against PostgreSQL this way).
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from concord.app import create_app
from concord.db import make_engine
from concord.schema import upgrade
from tests.helpers import Auth

KEEP = {"alembic_version", "jurisdiction"}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """Return a migrated, empty database for the whole run."""
    url = os.environ.get("CONCORD_TEST_DATABASE_URL")
    if url is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'concord.db'}"
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    upgrade(engine)
    engine.dispose()
    return url


def _empty_tables(engine) -> None:
    from concord.db import Base
    from concord.schema import import_models

    import_models()
    tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name not in KEEP]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            # Drafts and versions point at each other; break the cycle before deleting.
            conn.exec_driver_sql("UPDATE draft SET based_on_version_id = NULL")
            for name in tables:
                conn.exec_driver_sql(f"DELETE FROM {name}")
        # Keep only the jurisdictions that the first migration ships.
        conn.execute(text("DELETE FROM jurisdiction WHERE level = 'county'"))


@pytest.fixture
def app(database_url, tmp_path):
    """Return an app on a database emptied of everything but the shipped jurisdictions."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "INSTANCE": str(tmp_path / "instance"),
            "INDEX_DIR": str(tmp_path / "index"),
            "LOGIN_DELAY_SECONDS": 0,
        }
    )
    _empty_tables(app.extensions["concord_engine"])
    yield app
    app.extensions["concord_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    """Return a database session bound to the app's engine."""
    s = app.extensions["concord_sessions"]()
    yield s
    s.close()


@pytest.fixture
def auth(client):
    return Auth(client)
