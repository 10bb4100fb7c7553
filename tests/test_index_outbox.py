"""The workspace index follows edits through a durable outbox, even when a worker is killed."""

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from concord.app import create_app
from drafting.services import editing
from drafting.services.drafts import load_tree
from search.index import open_index
from search.models import IndexJob
from search.services import outbox, workspace
from tests.helpers import REPO, make_draft, make_project, make_user


@pytest.fixture
def quiet_app(app, database_url, tmp_path):
    """An app whose edits only record index work (as with CONCORD_INDEX_WORKER=off)."""
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "INSTANCE": str(tmp_path / "instance"),
            "INDEX_DIR": str(tmp_path / "index"),
            "INDEX_WORKER": "off",
        }
    )
    yield other
    other.extensions["concord_engine"].dispose()


def _indexed_texts(index_dir) -> dict[str, str]:
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        return {
            f["key"]: f["text"]
            for f in searcher.all_stored_fields()
            if f.get("key", "").startswith("draft:")
        }


def _expected_texts(session, drafts) -> dict[str, str]:
    out = {}
    for draft in drafts:
        for doc in workspace.draft_documents(session, draft, versions=set()):
            out[doc["key"]] = doc["text"]
    return out


def test_an_edit_records_index_work_in_its_own_transaction(quiet_app):
    factory = quiet_app.extensions["concord_sessions"]
    s = factory()
    user = make_user(s, "lin")
    draft = make_draft(s, user, make_project(s, user))
    assert [j.full for j in s.scalars(select(IndexJob))] == [True]
    article = load_tree(s, draft).articles()[0]
    editing.edit_provision(
        s, user, article.id, text="改写的第一条。", base_revision=article.revision
    )
    jobs = list(s.scalars(select(IndexJob).order_by(IndexJob.id)))
    assert jobs[-1].provisions == [article.id] and not jobs[-1].full
    # Applying them brings the index up to date and empties the outbox.
    assert outbox.apply_outbox(factory, quiet_app.config["INDEX_DIR"]) == 2
    assert _pending(factory) == 0
    assert _indexed_texts(quiet_app.config["INDEX_DIR"]) == _expected_texts(s, [draft])
    s.close()


def test_a_failed_job_stays_and_is_retried(quiet_app, monkeypatch):
    factory, index_dir = quiet_app.extensions["concord_sessions"], quiet_app.config["INDEX_DIR"]
    s = factory()
    user = make_user(s, "lin")
    draft = make_draft(s, user, make_project(s, user))

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(outbox, "apply_change", broken)
    assert outbox.apply_outbox(factory, index_dir) == 0
    job = s.scalar(select(IndexJob))
    s.refresh(job)
    assert job.attempts == 1 and "disk full" in job.last_error and job.not_before is not None
    monkeypatch.undo()
    job.not_before = None
    s.commit()
    assert outbox.apply_outbox(factory, index_dir) == 1
    assert _indexed_texts(index_dir) == _expected_texts(s, [draft])
    s.close()


def _pending(factory) -> int:
    with factory() as fresh:
        return outbox.pending_jobs(fresh)


def _worker(database_url, index_dir, instance):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONCORD_INDEX_DIR": str(index_dir),
        "CONCORD_INSTANCE": str(instance),
        "SECRET_KEY": "test-secret",
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from concord.cli import main; main()", "worker"]
        + ["--batch", "1", "--interval", "0.1", "--lease-seconds", "2"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_two_workers_and_a_kill_in_the_middle_lose_no_edit(quiet_app, database_url, tmp_path):
    factory, index_dir = quiet_app.extensions["concord_sessions"], quiet_app.config["INDEX_DIR"]
    s = factory()
    user = make_user(s, "lin")
    project = make_project(s, user)
    drafts = [make_draft(s, user, project)]
    drafts += [
        make_draft(s, make_user(s, f"city{j}", jurisdiction=j), project, common=False)
        for j in ("321300", "371300")
    ]
    for draft in drafts:
        editor = s.get(type(user), draft.created_by_id)
        for k, article in enumerate(load_tree(s, draft).articles()):
            for n in range(3):
                tree = load_tree(s, draft)
                editing.edit_provision(
                    s,
                    editor,
                    article.id,
                    text=f"{draft.id}号文本第{k + 1}条第{n + 1}次改写。",
                    base_revision=tree.nodes[article.id].revision,
                )
    total = _pending(factory)
    assert total > 40
    first, second = _worker(database_url, index_dir, tmp_path / "a"), None
    try:
        deadline = time.time() + 60
        while _pending(factory) > total - 5 and time.time() < deadline:
            time.sleep(0.05)
        second = _worker(database_url, index_dir, tmp_path / "b")
        time.sleep(0.3)
        first.send_signal(signal.SIGKILL)  # in the middle of the outbox
        first.wait()
        assert _pending(factory) > 0, "the kill came too late to prove anything"
        while _pending(factory) and time.time() < deadline:
            time.sleep(0.1)
        assert _pending(factory) == 0
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait()
    s.expire_all()
    assert _indexed_texts(index_dir) == _expected_texts(s, drafts)
    s.close()


def test_the_web_process_applies_the_outbox_in_the_background(app, database_url, tmp_path):
    served = create_app(
        {
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "INSTANCE": str(tmp_path / "instance"),
            "INDEX_DIR": str(tmp_path / "index"),
            "INDEX_WORKER": "thread",
        }
    )
    factory = served.extensions["concord_sessions"]
    try:
        s = factory()
        user = make_user(s, "lin")
        draft = make_draft(s, user, make_project(s, user))
        served.test_client().get("/login")  # the first request starts the worker thread
        deadline = time.time() + 20
        while _pending(factory) and time.time() < deadline:
            time.sleep(0.1)
        assert _indexed_texts(served.config["INDEX_DIR"]) == _expected_texts(s, [draft])
        s.close()
    finally:
        served.extensions["concord_outbox"].stop.set()
        served.extensions["concord_outbox"].wake.set()
        served.extensions["concord_engine"].dispose()
