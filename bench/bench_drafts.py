"""Draft speed: the 300-article draft page, its .docx export, and the 修改对照表 of two versions.

Run: python bench/bench_drafts.py [--database-url URL]. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from concord.accounts import users as accounts  # noqa: E402
from concord.app import create_app  # noqa: E402
from concord.db import unit_of_work  # noqa: E402
from concord.schema import upgrade  # noqa: E402
from drafting.core.parsing import parse_text  # noqa: E402
from drafting.services import drafts, editing, projects, structure, versions  # noqa: E402

ARTICLES = 300


def regulation(n: int) -> str:
    """Return a regulation of n articles in 10 chapters, with clauses, items and citations."""
    lines = ["XX市城市管理综合条例", ""]
    per = n // 10
    k = 0
    for c in range(10):
        lines.append(f"第{_cn(c + 1)}章　第{c + 1}部分规定")
        for _ in range(per):
            k += 1
            lines.append(
                f"第{_cn(k)}条　市人民政府及其有关部门应当按照职责分工，做好第{k}项城市管理工作，"
                f"建立健全协调机制，依照本条例第{_cn(max(1, k - 1))}条的规定履行监督管理职责。"
            )
            if k % 3 == 0:
                lines.append("前款规定的工作包括下列事项：")
                lines.append("（一）制定年度工作计划并向社会公布；")
                lines.append("（二）组织开展监督检查，及时处理投诉举报。")
    return "\n".join(lines)


def _cn(n: int) -> str:
    from drafting.core.numbering import to_chinese

    return to_chinese(n)


def timed(fn, repeat: int = 7) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples), min(samples)


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
    user = accounts.create_user(
        s, username="bench", jurisdiction="320300", role="drafter", password="bench-password"
    )
    project = projects.create_project(s, user, title="bench", lead="320300", participants=[])
    doc = parse_text(regulation(ARTICLES))
    t = time.perf_counter()
    with unit_of_work(s):
        draft = drafts.add_draft(s, user, project, jurisdiction="320300", document=doc, common=True)
    store_ms = (time.perf_counter() - t) * 1000
    v1 = versions.create_version(s, user, draft, name="第一稿")
    tree = drafts.load_tree(s, draft)
    for article in tree.articles()[::10]:
        with unit_of_work(s):
            editing.apply_edit(
                s,
                user,
                article.id,
                text=article.text.replace("建立健全", "完善"),
                base_revision=article.revision,
            )
    with unit_of_work(s):
        structure.add_provision(
            s, user, draft, kind="article", text="新增条文。", after=tree.articles()[5].id
        )
    v2 = versions.create_version(s, user, draft, name="第二稿")

    client = app.test_client()
    from concord.accounts.sign_in_sessions import start_session

    with client.session_transaction() as sess:
        sess["sid"] = start_session(s, user)
    page_ms, page_min = timed(lambda: client.get(f"/drafts/{draft.id}"))
    size = len(client.get(f"/drafts/{draft.id}").data)
    docx_ms, docx_min = timed(lambda: client.get(f"/drafts/{draft.id}/export?format=docx"), 5)
    cmp_ms, cmp_min = timed(
        lambda: versions.comparison(s, user, draft, old=f"v{v1.id}", new=f"v{v2.id}"), 5
    )
    cmp_docx_ms, _ = timed(
        lambda: client.get(
            f"/drafts/{draft.id}/compare?against=v{v1.id}&with=v{v2.id}&format=docx"
        ),
        5,
    )
    edit_ms, _ = timed(lambda: _edit_once(s, user, draft), 5)
    print(f"database: {engine.dialect.name}")
    print(f"stored a {ARTICLES}-article draft ({len(tree.nodes)} provisions): {store_ms:.0f} ms")
    print(
        f"draft page (server time, median of 7): {page_ms:.1f} ms (min {page_min:.1f}), "
        f"{size / 1024:.0f} KiB of HTML   target < 150 ms"
    )
    print(
        f".docx export of {ARTICLES} articles: {docx_ms:.0f} ms (min {docx_min:.0f})   "
        "target < 1000 ms"
    )
    print(
        f"修改对照表 of two {ARTICLES}-article versions: {cmp_ms:.0f} ms rows, "
        f"{cmp_docx_ms:.0f} ms as .docx   target < 1000 ms"
    )
    print(f"one article edit through the service: {edit_ms:.1f} ms")
    s.close()


def _edit_once(s, user, draft):
    article = drafts.load_tree(s, draft).articles()[0]
    with unit_of_work(s):
        editing.apply_edit(
            s, user, article.id, text=article.text + "。", base_revision=article.revision
        )


if __name__ == "__main__":
    main()
