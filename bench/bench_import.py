"""Import and propagation speed: a revised 300-article file, and one city accepting a change.

Run: python bench/bench_import.py [--database-url URL]. Prints figures (time and SQL statements);
asserts nothing. Works on the code before and after the layout change (it looks the services up
by name).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402

from bench.bench_drafts import ARTICLES, regulation  # noqa: E402
from concord.accounts import users as accounts
from concord.app import create_app  # noqa: E402
from concord.db import unit_of_work  # noqa: E402
from concord.schema import upgrade  # noqa: E402
from drafting.core.parsing import parse_text  # noqa: E402
from drafting.services import drafts, editing, projects, versions  # noqa: E402
from drafting.services.revision_import import update_from_document  # noqa: E402

CITIES = ["321300", "371300", "340600", "320800"]


class Statements:
    """Count the SQL statements an engine runs."""

    def __init__(self, engine):
        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args):
        self.n += 1


def _accept():
    try:
        from drafting.services.propagation_decisions import accept_change
    except ImportError:  # before the layout change
        from drafting.services.propagation import accept_change
    return accept_change


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="concord-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    app = create_app({"INSTANCE": str(folder), "DATABASE_URL": url, "SECRET_KEY": "bench"})
    engine = app.extensions["concord_engine"]
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    upgrade(engine)
    s = app.extensions["concord_sessions"]()
    lead = accounts.create_user(
        s, username="lead", jurisdiction="320300", role="drafter", password="bench-password"
    )
    city_users = [
        accounts.create_user(
            s, username=f"c{code}", jurisdiction=code, role="drafter", password="bench-password"
        )
        for code in CITIES
    ]
    project = projects.create_project(s, lead, title="bench", lead="320300", participants=CITIES)
    text = regulation(ARTICLES)
    # 30 reworded articles: every tenth article's wording changes.
    lines = text.split("\n")
    k = 0
    for i, line in enumerate(lines):
        if line.startswith("第") and "条　" in line:
            k += 1
            if k % 10 == 1:
                lines[i] = line.replace("建立健全协调机制", "完善协调机制")
    revised = parse_text("\n".join(lines))

    statements = Statements(engine)
    import_ms, import_sql = [], []
    for r in range(args.repeat):
        with unit_of_work(s):
            d = drafts.add_draft(
                s,
                lead,
                project,
                jurisdiction="320300",
                document=parse_text(text),
                title=f"bench {r}",
                common=r == 0,
            )
        before, t = statements.n, time.perf_counter()
        summary = update_from_document(s, lead, d, revised)
        import_ms.append((time.perf_counter() - t) * 1000)
        import_sql.append(statements.n - before)
    common = next(d for d in project.drafts if d.is_common)

    # Propagation: every city adapts the common text, the lead then rewords articles.
    versions.create_version(s, lead, common, name="征求意见稿")
    city_drafts = [
        drafts.derive_from_common(s, u, project, jurisdiction=u.jurisdiction_code)
        for u in city_users
    ]
    tree = drafts.load_tree(s, common)
    changed = tree.articles()[2::30]
    for article in changed:
        with unit_of_work(s):
            editing.apply_edit(
                s,
                lead,
                article.id,
                text=article.text.replace("做好", "切实做好"),
                base_revision=article.revision,
            )
    accept = _accept()
    accept_ms, accept_sql = [], []
    for article in changed[: args.repeat]:
        before, t = statements.n, time.perf_counter()
        accept(s, city_users[0], project, draft=city_drafts[0].id, common=article.id)
        accept_ms.append((time.perf_counter() - t) * 1000)
        accept_sql.append(statements.n - before)

    print(f"database: {engine.dialect.name}")
    print(
        f"import a revised {ARTICLES}-article file, {summary.edited} reworded articles: "
        f"{statistics.median(import_ms):.0f} ms (min {min(import_ms):.0f}), "
        f"{statistics.median(import_sql):.0f} SQL statements"
    )
    print(
        f"accept one common-text change ({len(CITIES)} cities, {ARTICLES} articles each): "
        f"{statistics.median(accept_ms):.0f} ms (min {min(accept_ms):.0f}), "
        f"{statistics.median(accept_sql):.0f} SQL statements"
    )
    s.close()


if __name__ == "__main__":
    main()
