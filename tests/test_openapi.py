"""The API described: openapi.json covers the URL map, the /api page shows it, schemathesis
fuzzes it against a live server with and without a token and finds no server error."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading

import pytest

from concord.web import openapi
from tests.helpers import bearer, make_draft, make_project, make_user


def _api_rules(app) -> set[tuple[str, str]]:
    return {
        (method.lower(), rule.rule.removeprefix("/api/v1"))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_api_endpoint_is_described_and_nothing_else(app):
    described = {(op.method, op.rule) for op in openapi.OPERATIONS}
    missing = _api_rules(app) - described
    assert not missing, f"describe these in drafting/web/openapi.py: {sorted(missing)}"
    assert not described - _api_rules(app), "described endpoints that do not exist"


def test_openapi_json_is_served_without_a_token(client):
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    doc = answer.get_json()
    assert doc["openapi"].startswith("3.")
    patch = doc["paths"]["/provisions/{provision_id}"]["patch"]
    text = patch["requestBody"]["content"]["application/json"]["schema"]["properties"]["text"]
    assert text["maxLength"] == openapi.MAX_TEXT
    assert patch["security"] == [{"bearer": []}]


def test_the_api_page_lists_every_endpoint_with_its_fields(client):
    page = client.get("/api").get_data(as_text=True)
    for op in openapi.OPERATIONS:
        assert f"{op.method.upper()} /api/v1{op.path}" in page
    assert "base_revision" in page and "openapi.json" in page


@pytest.fixture
def live(app, session):
    """Serve the app over HTTP on a free port; yield its URL and a valid token."""
    from waitress import create_server

    user = make_user(session, "lin")
    project = make_project(session, user)
    make_draft(session, user, project)
    headers = bearer(session, user)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}", headers["Authorization"]
    server.close()
    thread.join(timeout=5)


@pytest.mark.parametrize("with_token", [True, False])
def test_schemathesis_finds_no_server_error(live, with_token, tmp_path):
    cli = shutil.which("schemathesis") or os.path.join(os.path.dirname(sys.executable), "st")
    if not os.path.exists(cli):
        pytest.skip("schemathesis is not installed (pip install -e '.[test]')")
    url, authorization = live
    command = [
        cli,
        "run",
        f"{url}/api/v1/openapi.json",
        "--checks",
        "not_a_server_error",
        "--max-examples",
        os.environ.get("CONCORD_FUZZ_EXAMPLES", "10"),
        "--phases",
        "examples,coverage,fuzzing",
        "--seed",
        "13",
        "--no-shrink",
        "--generation-database",
        "none",
        # One worker: hypothesis parses lambdas with `ast`, which CPython 3.11 does not do
        # safely from several threads at once ("AST constructor recursion depth mismatch").
        "--workers",
        "1",
        "--max-time",
        os.environ.get("CONCORD_FUZZ_SECONDS", "40"),
        "--report",
        "json",
        "--report-json-path",
        str(tmp_path / "report.json"),
        "--no-color",
        "--report-dir",
        str(tmp_path),
    ]
    if with_token:
        command += ["--header", f"Authorization: {authorization}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["failures"] == [] and report["test_cases"]["with_failures"] == 0
    # Every operation, except the description itself, which schemathesis leaves out.
    assert report["operations"]["tested"] == report["operations"]["total"]
    assert report["operations"]["total"] >= len(openapi.OPERATIONS) - 1
    assert report["test_cases"]["generated"] > 200
