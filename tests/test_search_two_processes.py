"""Two web processes on one database: an edit made in one is found by a search in the other."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from drafting.services.drafts import load_tree
from tests.helpers import bearer, make_draft, make_project, make_user

SERVER = """
import sys
from waitress import serve
from concord.app import create_app
app = create_app({"SECRET_KEY": "two-processes", "LOGIN_DELAY_SECONDS": 0})
serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=2, _quiet=True)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(server.stderr.read().decode())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no server on port {port}")


@pytest.fixture
def two_servers(app, database_url, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONCORD_INSTANCE": str(tmp_path / "instance"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen([sys.executable, "-c", SERVER, str(p)], env=env, stderr=subprocess.PIPE)
        for p in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_for(port, server)
        yield [f"http://127.0.0.1:{p}" for p in ports]
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)
            server.stderr.close()


def _call(method: str, url: str, headers: dict, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={**headers, "Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def test_an_edit_in_one_process_is_found_by_a_search_in_the_other(session, two_servers):
    user = make_user(session, "xz", "320300", "drafter")
    project = make_project(session, user)
    draft = make_draft(session, user, project)
    article = load_tree(session, draft).articles()[0]
    headers = bearer(session, user)
    session.commit()
    one, other = two_servers
    query = "/api/v1/search?scope=workspace&q=%E5%A4%A7%E8%BF%90%E6%B2%B3"  # 大运河
    assert _call("GET", other + query, headers)["total"] == 0

    edited = _call(
        "PATCH",
        f"{one}/api/v1/provisions/{article.id}",
        headers,
        {"text": "为了保护大运河文化遗产，制定本条例。", "base_revision": article.revision},
    )
    assert edited["revision"]

    found = _call("GET", other + query, headers)
    assert [(h["label"], h["draft"]) for h in found["hits"]] == [("第一条", str(draft.id))]
