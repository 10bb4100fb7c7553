"""The `concord` command line per CONTRACT.md: JSON shapes, exit codes, one-line errors."""

import json

import pytest
from click.testing import CliRunner

from concord.cli import main
from tests.helpers import REPO

COMMON = str(REPO / "samples" / "huaihai" / "common-征求意见稿.md")
CITY = str(REPO / "samples" / "huaihai" / "411400-商丘市.md")


@pytest.fixture
def run(app, database_url, tmp_path, monkeypatch):
    """Run `concord` against the test database and a temporary instance folder."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("CONCORD_INSTANCE", str(tmp_path / "instance"))
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def test_parse_json_follows_the_contract(run):
    result = run("parse", COMMON, "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    chapter = doc["body"][0]
    assert (chapter["kind"], chapter["num"], chapter["label"], chapter["heading"]) == (
        "chapter",
        1,
        "第一章",
        "总则",
    )
    article = chapter["children"][0]
    assert (article["kind"], article["num"], article["label"]) == ("article", 1, "第一条")
    assert "第一条" not in article["text"]


def test_parse_several_files_prints_one_object_per_line_with_its_file(run):
    result = run("parse", COMMON, CITY, "--json")
    lines = result.stdout.strip().splitlines()
    assert [json.loads(line)["file"] for line in lines] == [COMMON, CITY]


def test_parse_bad_input_exits_2_with_one_line(run, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("这不是法规。", encoding="utf-8")
    result = run("parse", str(bad))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "notes.txt" in result.stderr
    assert "Traceback" not in result.output


def test_reconcile_json_follows_the_contract(run):
    result = run("reconcile", COMMON, CITY, "--json")
    body = json.loads(result.stdout)
    assert body["documents"] == ["common-征求意见稿.md", "411400-商丘市.md"]
    merged = next(
        g for g in body["groups"] if g["members"]["common-征求意见稿.md"] == ["第八条", "第九条"]
    )
    assert merged["members"]["411400-商丘市.md"] == ["第八条"]
    assert {g["status"] for g in body["groups"]} <= {
        "identical",
        "equivalent",
        "modified",
        "partial",
    }


def test_user_create_with_token_prints_a_working_token(run, client):
    result = run("user", "create", "ops", "--jurisdiction", "320300", "--role", "admin", "--token")
    token = result.stdout.strip()
    assert result.exit_code == 0 and token.startswith("cc_")
    assert (
        client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )


def test_user_create_reads_the_password_from_stdin(run, client):
    result = run(
        "user",
        "create",
        "li",
        "--jurisdiction",
        "321300",
        "--role",
        "drafter",
        "--password-stdin",
        input="a-long-password\n",
    )
    assert result.exit_code == 0
    from tests.helpers import csrf_of

    response = client.post(
        "/login",
        data={"username": "li", "password": "a-long-password", "csrf_token": csrf_of(client)},
    )
    assert response.status_code == 302


def test_user_create_with_unknown_jurisdiction_exits_2(run):
    result = run("user", "create", "x", "--jurisdiction", "999999", "--role", "drafter")
    assert result.exit_code == 2 and "999999" in result.stderr


def test_jurisdiction_add_then_duplicate(run):
    assert run("jurisdiction", "add", "320311", "泉山区", "--parent", "320300").exit_code == 0
    again = run("jurisdiction", "add", "320311", "泉山区")
    assert again.exit_code == 2 and "已存在" in again.stderr


def test_unreachable_database_is_a_clear_message(run, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    result = run("db", "upgrade")
    assert result.exit_code == 1
    assert "无法连接" in result.stderr and "Traceback" not in result.output


def test_search_without_an_index_says_how_to_build_one(run, tmp_path):
    result = run("search", "罚款", "--index-dir", str(tmp_path / "empty"))
    assert result.exit_code == 2 and "precedents import" in result.stderr


def test_demo_loads_once(session):
    from concord.demo import load_demo

    first = load_demo(session)
    second = load_demo(session)
    assert first.created_projects == 3 and first.created_users == 11
    assert second.created_projects == 0 and second.created_users == 0


def test_tokens_with_an_expiry_and_ending_a_users_sessions(run, client, session):
    from concord.accounts.models import ApiToken

    result = run(
        "user", "create", "ops", "--jurisdiction", "320300", "--role", "admin", "--token",
        "--token-days", "7",
    )  # fmt: skip
    assert result.exit_code == 0
    assert session.query(ApiToken).one().expires_at is not None
    assert run("user", "sign-out", "ops").exit_code == 0
    assert run("user", "sign-out", "nobody").exit_code == 2
    assert run("user", "password", "ops", input="a-long-password\n").exit_code == 0
