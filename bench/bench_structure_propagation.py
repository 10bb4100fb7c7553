"""Structure propagation and Akoma Ntoso speed on a 300-article common text and one city.

The lead inserts 10 articles, deletes 10, moves 10 and adds a section after the city adapted the
text. Times: the city's pending changes with the structure found (inserted, deleted, moved,
divisions, splits) beside the reworded articles alone, as before; the Akoma Ntoso export with
schema validation beside the .docx export of the same draft.

Run: python bench/bench_structure_propagation.py [--database-url URL]. Prints figures only.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from datetime import date
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_drafts import regulation, timed  # noqa: E402

from concord.accounts import users as accounts  # noqa: E402
from concord.app import create_app  # noqa: E402
from concord.db import unit_of_work  # noqa: E402
from concord.schema import upgrade  # noqa: E402
from drafting.core.parsing import parse_text  # noqa: E402
from drafting.files.akoma_ntoso import document_to_akn, validate  # noqa: E402
from drafting.files.docx_writer import document_to_docx  # noqa: E402
from drafting.services import drafts, projects, propagation, structure  # noqa: E402

ARTICLES = 300


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--show", action="store_true", help="print the reworded articles offered")
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
        s, username="bench", jurisdiction="320300", role="drafter", password="bench-password"
    )
    city_user = accounts.create_user(
        s, username="city", jurisdiction="321300", role="drafter", password="bench-password"
    )
    project = projects.create_project(
        s, lead, title="bench", lead="320300", participants=["321300"]
    )
    with unit_of_work(s):
        common = drafts.add_draft(
            s,
            lead,
            project,
            jurisdiction="320300",
            document=parse_text(regulation(ARTICLES)),
            common=True,
        )
    city = drafts.derive_from_common(s, city_user, project, jurisdiction="321300")
    articles = drafts.load_tree(s, common).articles()
    for k in range(10):
        with unit_of_work(s):
            structure.add_provision(
                s,
                lead,
                common,
                kind="article",
                text=f"新增第{k}条：市人民政府应当建立协调机制。",
                after=articles[20 * k + 5].id,
            )
        with unit_of_work(s):
            structure.remove_provision(s, lead, articles[20 * k + 10].id, reason="重复")
        with unit_of_work(s):
            structure.relocate_provision(
                s, lead, articles[20 * k + 12].id, after=articles[20 * k + 16].id
            )
    chapter = drafts.load_tree(s, common).roots[3]
    with unit_of_work(s):
        section, _ = structure.add_provision(
            s, lead, common, kind="section", text="一般规定", parent=chapter.id, at_start=True
        )
    changes = propagation.pending_changes(s, city_user, project, draft=city)
    kinds = {}
    for c in changes:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    print(f"{engine.dialect.name}: {ARTICLES} articles, changes offered: {kinds}")
    for c in changes:
        if c.kind == "modified" and args.show:
            print(c.common_label, repr(c.old_text[:120]), repr(c.new_text[:120]))
    with_structure = timed(
        lambda: propagation.pending_changes(s, city_user, project, draft=city), repeat=3
    )
    with mock.patch.object(propagation, "structural_changes", lambda *a, **k: []):
        text_only = timed(
            lambda: propagation.pending_changes(s, city_user, project, draft=city), repeat=3
        )
    print(
        f"pending changes, structure included: {with_structure[0]:.0f} ms (median of 3);"
        f" reworded articles only: {text_only[0]:.0f} ms"
    )
    doc = drafts.load_tree(s, common).document()
    day = date(2026, 12, 6)

    def akn() -> None:
        data = document_to_akn(doc, work="cn-320300/act/regulation/bench", day=day)
        assert validate(data) == []

    def docx() -> None:
        document_to_docx(doc, io.BytesIO())

    validate(document_to_akn(doc, work="warm", day=day))  # the schema is read once
    akn_ms, docx_ms = timed(akn, repeat=3)[0], timed(docx, repeat=3)[0]
    size = len(document_to_akn(doc, work="x", day=day))
    print(
        f"Akoma Ntoso export + schema validation: {akn_ms:.0f} ms ({size // 1024} KiB);"
        f" .docx export: {docx_ms:.0f} ms"
    )


if __name__ == "__main__":
    main()
