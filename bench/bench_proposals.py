"""Proposal speed on the demo workspace: the report (page, .docx, CSV), a proposal page, badges.

Run: python bench/bench_proposals.py [--database-url URL]. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from concord.app import create_app  # noqa: E402
from concord.db import request_session  # noqa: E402
from concord.demo import load_demo  # noqa: E402
from concord.schema import upgrade  # noqa: E402


def timed(fn, repeat: int = 7) -> float:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": url,
            "INSTANCE": folder,
            "INDEX_DIR": folder + "/index",
            "SEARCH_FOLLOW_EDITS": False,
        }
    )
    upgrade(app.extensions["concord_engine"])
    with app.app_context():
        t = time.perf_counter()
        load_demo(request_session())
        print(f"demo load with 17 proposals and their links: {time.perf_counter() - t:.1f} s")
    client = app.test_client()
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)
    ).group(1)
    client.post(
        "/login",
        data={"username": "xz_drafter", "password": "demo-xz-drafter", "csrf_token": token},
    )
    for name, path in [
        ("traceability page", "/projects/1/traceability"),
        ("traceability .docx", "/projects/1/traceability?format=docx"),
        ("traceability CSV", "/projects/1/traceability?format=csv"),
        ("proposal page (chain, links, suggestions over 7 drafts)", "/proposals/1"),
        ("common-text draft page with badges", "/drafts/1"),
        ("proposal list", "/proposals"),
    ]:
        assert client.get(path).status_code == 200, path
        print(f"{name}: {timed(lambda p=path: client.get(p)):.0f} ms")


if __name__ == "__main__":
    main()
