"""Time storing and showing a draft at the stated limit (3,000 articles) on SQLite.

    .venv/bin/python bench/bench_long_draft.py [ARTICLES]

Prints: parse time, how long create_draft holds the write lock, the draft page's time and size.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from concord.app import create_app  # noqa: E402
from concord.db import unit_of_work  # noqa: E402
from concord.schema import upgrade  # noqa: E402
from drafting.core.numbering import to_chinese  # noqa: E402
from drafting.core.parsing import parse_text  # noqa: E402


def regulation(n: int) -> str:
    chapters, k = [], 0
    for c in range(1, n // 50 + 1):
        articles = []
        for _ in range(50):
            k += 1
            articles.append(
                f"第{to_chinese(k)}条　本条规定第{k}项保护措施，有关部门应当依法履行职责。"
            )
        chapters.append(f"第{to_chinese(c)}章　第{c}部分\n\n" + "\n\n".join(articles))
    return "XX市测试条例\n\n" + "\n\n".join(chapters)


def main(n: int) -> None:
    from concord.accounts import users as accounts
    from concord.accounts.sign_in_sessions import start_session
    from drafting.services import drafts, projects

    text = regulation(n)
    start = time.perf_counter()
    doc = parse_text(text)
    print(f"articles: {n}, characters: {len(text)}")
    print(f"parse: {time.perf_counter() - start:.2f} s")
    folder = tempfile.mkdtemp()
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{folder}/bench.db",
            "INSTANCE": folder,
            "INDEX_DIR": f"{folder}/index",
            "INDEX_WORKER": "off",
        }
    )
    upgrade(app.extensions["concord_engine"])
    s = app.extensions["concord_sessions"]()
    user = accounts.create_user(
        s, username="lin", jurisdiction="320300", role="drafter", password="bench-password"
    )
    project = projects.create_project(s, user, title="基准", lead="320300", participants=["321300"])
    start = time.perf_counter()
    with unit_of_work(s):
        draft = drafts.add_draft(s, user, project, jurisdiction="320300", document=doc, common=True)
    print(f"create_draft (one transaction, write lock held): {time.perf_counter() - start:.2f} s")
    client = app.test_client()
    with client.session_transaction() as held:
        held["sid"] = start_session(s, user)
    for _ in range(2):
        start = time.perf_counter()
        page = client.get(f"/drafts/{draft.id}")
        took = time.perf_counter() - start
    print(f"draft page (first part): {took:.2f} s, {len(page.data) / 1024:.0f} KB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
