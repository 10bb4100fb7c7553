"""The migrations build exactly the tables, columns, indexes and keys that the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from concord.db import Base, make_engine
from concord.schema import import_models


def test_the_migrated_database_matches_the_models(database_url):
    import_models()
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == [], f"models and migrations disagree ({engine.dialect.name})"
