"""Comment speed: round overview of 300 articles × 10 cities × 2,000 comments, the draft page with
its comment counts, and the 意见采纳情况表 .docx of those 2,000 comments.

Run: python bench/bench_comments.py [--database-url URL]. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_drafts import regulation, timed  # noqa: E402

from comments.consultation.models import Comment, Disposition  # noqa: E402
from comments.consultation.services import rounds  # noqa: E402
from concord.accounts import users as accounts
from concord.app import create_app  # noqa: E402
from concord.db import unit_of_work  # noqa: E402
from concord.schema import upgrade  # noqa: E402
from drafting.core.parsing import parse_text  # noqa: E402
from drafting.services import drafts, projects  # noqa: E402

ARTICLES = 300
COMMENTS = 2000
CITIES = [
    "320300",
    "321300",
    "340600",
    "341300",
    "411400",
    "371300",
    "320100",
    "320200",
    "320400",
    "320500",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="concord-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    app = create_app(
        {
            "INSTANCE": str(folder),
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "LOGIN_DELAY_SECONDS": 0,
        }
    )
    engine = app.extensions["concord_engine"]
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    upgrade(engine)
    s = app.extensions["concord_sessions"]()
    lead = accounts.create_user(
        s, username="bench", jurisdiction="320300", role="drafter", password="bench-password"
    )
    project = projects.create_project(
        s, lead, title="bench", lead="320300", participants=CITIES[1:]
    )
    with unit_of_work(s):
        draft = drafts.add_draft(
            s,
            lead,
            project,
            jurisdiction="320300",
            document=parse_text(regulation(ARTICLES)),
            common=True,
        )
    today = date.today()
    with unit_of_work(s):
        round_ = rounds.build_round(
            s,
            lead,
            draft,
            title="第一轮征求意见",
            opens=today - timedelta(days=1),
            closes=today + timedelta(days=30),
            invited=CITIES[1:],
        )
    tree = drafts.load_tree(s, draft)
    targets = [n for n in tree.walk() if n.kind in ("article", "clause", "item")]
    rng = random.Random(9)
    t = time.perf_counter()
    for i in range(COMMENTS):
        node = rng.choice(targets)
        text = node.text or ""
        quote = text[5:20] if len(text) > 25 else None
        c = Comment(
            round_id=round_.id,
            provision_id=node.id,
            author_id=lead.id,
            jurisdiction_code=CITIES[i % len(CITIES)],
            kind="amend",
            body=f"第{i}条意见：建议进一步明确职责分工和监督管理的具体要求，增强可操作性。",
            quote=quote,
            proposed_text=(quote or "") + "，并向社会公布",
            revision_id=node.revision,
            seen_text=text,
            quote_start=5 if quote else None,
            seen_label=tree.full_label(node.id),
        )
        s.add(c)
        if i % 2:
            s.flush()
            s.add(Disposition(comment_id=c.id, decision="not_adopted", reason="与上位法规定重复。"))
    s.commit()
    load_ms = (time.perf_counter() - t) * 1000

    client = app.test_client()
    with client.session_transaction() as sess:
        sess["uid"], sess["pw"] = lead.id, lead.password_hash[-16:]
    overview_ms, overview_min = timed(lambda: client.get(f"/rounds/{round_.id}"))
    page_ms, page_min = timed(lambda: client.get(f"/drafts/{draft.id}"))
    docx_ms, docx_min = timed(lambda: client.get(f"/rounds/{round_.id}/export?format=docx"), 5)
    csv_ms, _ = timed(lambda: client.get(f"/rounds/{round_.id}/export?format=csv"), 5)
    filtered_ms, _ = timed(lambda: client.get(f"/rounds/{round_.id}?jurisdiction=321300"), 5)
    size = len(client.get(f"/rounds/{round_.id}/export?format=docx").data)
    print(f"database: {engine.dialect.name}")
    print(
        f"stored {COMMENTS} comments (half decided) on {ARTICLES} articles × "
        f"{len(CITIES)} cities: {load_ms:.0f} ms"
    )
    print(
        f"round overview page (median of 7): {overview_ms:.1f} ms "
        f"(min {overview_min:.1f})   target < 300 ms"
    )
    print(
        f"draft page with comment counts (median of 7): {page_ms:.1f} ms "
        f"(min {page_min:.1f})   target < 150 ms"
    )
    print(
        f"意见采纳情况表 .docx of {COMMENTS} comments: {docx_ms:.0f} ms (min {docx_min:.0f}), "
        f"{size / 1024:.0f} KiB   target < 2000 ms"
    )
    print(
        f"意见采纳情况表 CSV: {csv_ms:.0f} ms; overview filtered to one city "
        f"(200 comments with anchors): {filtered_ms:.0f} ms"
    )
    s.close()


if __name__ == "__main__":
    main()
