"""The search store's tables: one row per indexed article, the imported statute files, the import.

The full-text index beside `search_doc` depends on the database: an FTS5 table `search_fts`
(rowid = search_doc.id) on SQLite, a `tsv` tsvector column with a GIN index on PostgreSQL.
Both are created by the migration `i18_search_store`, not by these declarations.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from concord.db import Base


class SearchDoc(Base):
    """One searchable article: a statute's, a draft's or a version's, or a proposal or opinion."""

    __tablename__ = "search_doc"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    project_id: Mapped[int | None] = mapped_column(Integer, index=True)
    draft_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # The recording jurisdiction of a proposal or opinion (who may find it besides the project).
    owner_code: Mapped[str] = mapped_column(String(12), default="")
    version: Mapped[str] = mapped_column(String(200), default="")
    path: Mapped[str] = mapped_column(String(500), index=True)
    law: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(40), default="")
    rank: Mapped[int] = mapped_column(Integer, default=99)
    jurisdiction: Mapped[str] = mapped_column(String(100), default="")
    date: Mapped[str] = mapped_column(String(10), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    validity: Mapped[str] = mapped_column(String(20), default="in_force")
    label: Mapped[str] = mapped_column(String(100), default="")
    seq: Mapped[int] = mapped_column(Integer, default=0)
    chapter: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")


class StatuteFile(Base):
    """An imported statute file as it was when imported: what an incremental import compares."""

    __tablename__ = "statute_file"

    path: Mapped[str] = mapped_column(String(500), primary_key=True)
    root: Mapped[str] = mapped_column(Text, default="")
    mtime_ns: Mapped[int] = mapped_column(BigInteger, default=0)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    row_digest: Mapped[str] = mapped_column(String(40), default="")
    sha1: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    jurisdiction: Mapped[str] = mapped_column(String(100), default="")
    level: Mapped[str] = mapped_column(String(40), default="")
    date: Mapped[str] = mapped_column(String(10), default="")
    expired: Mapped[bool] = mapped_column(Boolean, default=False)
    superseded_by: Mapped[str | None] = mapped_column(String(500))


class SearchImport(Base):
    """The one row saying whether a statute import is under way and how far it has got."""

    __tablename__ = "search_import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(String(20), default="ready")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    pid: Mapped[int] = mapped_column(Integer, default=0)
    host: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
