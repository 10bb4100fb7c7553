"""The search store in the database (FTS5 on SQLite, tsvector + GIN on PostgreSQL); outbox retired

Revision ID: i18_search_store
Revises: i21_accounts_notifications
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "i18_search_store"
down_revision = "i21_accounts_notifications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_doc",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("owner_code", sa.String(length=12), nullable=False),
        sa.Column("version", sa.String(length=200), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("law", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("jurisdiction", sa.String(length=100), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("validity", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("chapter", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_doc")),
        sa.UniqueConstraint("key", name=op.f("uq_search_doc_key")),
    )
    for column in ("kind", "project_id", "draft_id", "path"):
        op.create_index(op.f(f"ix_search_doc_{column}"), "search_doc", [column], unique=False)
    op.create_table(
        "statute_file",
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("root", sa.Text(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("row_digest", sa.String(length=40), nullable=False),
        sa.Column("sha1", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("jurisdiction", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.Column("expired", sa.Boolean(), nullable=False),
        sa.Column("superseded_by", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("path", name=op.f("pk_statute_file")),
    )
    op.create_table(
        "search_import",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_import")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_doc ADD COLUMN tsv tsvector NOT NULL")
        op.execute("CREATE INDEX ix_search_doc_tsv ON search_doc USING gin (tsv)")
        op.execute("CREATE SEQUENCE search_doc_id_seq OWNED BY search_doc.id")
    else:
        # Contentless: the text lives once, in search_doc; the index holds only token lists.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "head, body, content='', tokenize=\"ascii tokenchars '_.'\")"
        )
        op.execute("CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')")
    # The outbox and its lease are gone: an edit and its index entries commit together.
    op.drop_table("worker_lease")
    with op.batch_alter_table("index_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_index_job_draft_id"))
    op.drop_table("index_job")


def downgrade() -> None:
    op.create_table(
        "index_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("full", sa.Boolean(), nullable=False),
        sa.Column("provisions", sa.JSON(), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_index_job")),
    )
    with op.batch_alter_table("index_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_index_job_draft_id"), ["draft_id"], unique=False)
    op.create_table(
        "worker_lease",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=80), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_worker_lease")),
    )
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE search_vocab")
        op.execute("DROP TABLE search_fts")
    op.drop_table("search_import")
    op.drop_table("statute_file")
    op.drop_table("search_doc")
