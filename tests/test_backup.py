"""`concord backup` then `concord restore` gives back exactly what was there, while serving."""

import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from concord.cli import main
from concord.db import Base, unit_of_work
from concord.schema import import_models
from drafting.services import editing
from drafting.services.drafts import load_tree
from tests.helpers import bearer, make_draft, make_project, make_user


@pytest.fixture
def run(app, database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("CONCORD_INSTANCE", str(tmp_path / "instance"))
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), catch_exceptions=False)


def _everything(engine) -> dict:
    import_models()
    with engine.connect() as conn:
        return {
            t.name: sorted(
                tuple(str(v) for v in row) for row in conn.execute(text(f"SELECT * FROM {t.name}"))
            )
            for t in Base.metadata.sorted_tables
        }


def test_backup_while_writing_then_restore_loses_nothing(app, session, run, tmp_path):
    user = make_user(session, "lin")
    draft = make_draft(session, user, make_project(session, user))
    client, headers = app.test_client(), bearer(session, user)
    article = load_tree(session, draft).articles()[0]
    stop, statuses = threading.Event(), []

    def keep_writing():
        base, n = article.revision, 0
        while not stop.is_set():
            n += 1
            answer = client.patch(
                f"/api/v1/provisions/{article.id}",
                json={"text": f"备份期间的第{n}次修改。", "base_revision": base},
                headers=headers,
            )
            statuses.append(answer.status_code)
            if answer.status_code == 200:
                base = answer.get_json()["revision"]

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        result = run("backup", str(tmp_path / "concord.backup"))
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert statuses and set(statuses) == {200}
    engine = app.extensions["concord_engine"]
    saved = run("backup", str(tmp_path / "second.backup"))
    assert saved.exit_code == 0
    before = _everything(engine)
    # Later changes, then the restore brings back the moment of the second backup.
    session.rollback()  # leave the read snapshot taken before the backups
    tree = load_tree(session, draft)
    with unit_of_work(session):
        editing.apply_edit(
            session,
            user,
            article.id,
            text="备份之后的修改。",
            base_revision=tree.nodes[article.id].revision,
        )
    make_user(session, "wang")
    assert _everything(engine) != before
    restored = run("restore", "--yes", str(tmp_path / "second.backup"))
    assert restored.exit_code == 0, restored.output
    assert _everything(engine) == before


def test_restore_refuses_a_file_that_is_not_a_backup(run, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a database at all")
    result = run("restore", "--yes", str(junk))
    assert result.exit_code == 2
    assert "backup" in result.output
