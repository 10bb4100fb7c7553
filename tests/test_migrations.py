"""The migrations build exactly the tables, columns, indexes and keys that the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from concord.db import Base, make_engine
from concord.schema import import_models

# The engines' own full-text structures, which no model declares: SQLite's FTS5 tables (the
# index, its vocabulary, their shadows) and PostgreSQL's tsvector column with its GIN index.
ENGINE_ONLY = {
    "table": ("search_fts", "search_vocab"),
    "column": ("tsv",),
    "index": ("ix_search_doc_tsv",),
}


def _modelled(name, type_, _parent) -> bool:
    """Return whether a database object is one the models declare."""
    return not (name and name.startswith(ENGINE_ONLY.get(type_, ())))


def test_the_migrated_database_matches_the_models(database_url):
    import_models()
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": _modelled}
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == [], f"models and migrations disagree ({engine.dialect.name})"
