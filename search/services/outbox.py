"""The durable outbox of index work: recorded with each edit, applied by one worker at a time.

An edit's transaction adds `index_job` rows (what to reindex); after it commits, a worker
applies them to the Whoosh index and deletes them. Only one worker applies at a time: on
PostgreSQL the one that holds the `worker_lease` row (`FOR UPDATE SKIP LOCKED`; a dead
worker's lock goes with its connection), on SQLite the one whose lease has not expired. A job
that fails stays and is retried later with a growing pause; re-applying a job is harmless.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from sqlalchemy import delete, event, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from concord.db import utcnow
from search.models import IndexJob, WorkerLease
from search.services.workspace import apply_change, merge_changes, touched_drafts

log = logging.getLogger(__name__)

LEASE = "index"
MAX_PAUSE = 300


def record_edits(factory: sessionmaker, on_commit=None) -> None:
    """Record index work in the transaction of every edit made through `factory`'s sessions.

    A session whose `info["defer_index"]` is set (bulk loads) records nothing; whoever set it
    runs `reindex_workspace` afterwards. `on_commit` is called after a commit that added jobs.
    """

    @event.listens_for(factory, "after_flush")
    def _collect(session, _flush_context):
        # After the flush new rows have their ids; session.new still lists them.
        if not session.info.get("defer_index"):
            merge_changes(session.info.setdefault("index_changes", {}), touched_drafts(session))

    @event.listens_for(factory, "before_commit")
    def _record(session):
        pending = session.info.pop("index_changes", {})
        for draft_id, change in sorted(pending.items(), key=lambda kv: kv[0] or 0):
            if draft_id is not None:
                session.add(
                    IndexJob(
                        draft_id=draft_id,
                        full=change["full"],
                        provisions=sorted(change["provisions"]),
                        versions=sorted(change["versions"]),
                    )
                )
                session.info["index_jobs_added"] = True

    @event.listens_for(factory, "after_commit")
    def _notify(session):
        session.info.pop("index_changes", None)
        if session.info.pop("index_jobs_added", False) and on_commit is not None:
            on_commit()

    @event.listens_for(factory, "after_rollback")
    def _forget(session):
        session.info.pop("index_changes", None)
        session.info.pop("index_jobs_added", None)


def pending_jobs(session: Session) -> int:
    """Return how many index jobs wait to be applied."""
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(IndexJob)) or 0


def _holder() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _ensure_lease_row(factory: sessionmaker) -> None:
    with factory() as s:
        if s.get(WorkerLease, LEASE) is None:
            s.add(WorkerLease(name=LEASE, holder=""))
            try:
                s.commit()
            except IntegrityError:  # another worker created it first
                s.rollback()


class _SqliteLease:
    """A lease row that the holder renews; when the holder dies it lapses after `seconds`."""

    def __init__(self, factory: sessionmaker, seconds: float):
        self.factory, self.seconds, self.me = factory, seconds, _holder()

    def acquire(self) -> bool:
        now = utcnow()
        with self.factory() as s:
            taken = s.execute(
                update(WorkerLease)
                .where(
                    WorkerLease.name == LEASE,
                    or_(
                        WorkerLease.holder == "",
                        WorkerLease.holder == self.me,
                        WorkerLease.expires_at < now,
                    ),
                )
                .values(holder=self.me, expires_at=now + timedelta(seconds=self.seconds))
            ).rowcount
            s.commit()
        return bool(taken)

    renew = acquire

    def release(self) -> None:
        with self.factory() as s:
            s.execute(
                update(WorkerLease)
                .where(WorkerLease.name == LEASE, WorkerLease.holder == self.me)
                .values(holder="", expires_at=None)
            )
            s.commit()


class _PostgresLease:
    """The lease row locked FOR UPDATE SKIP LOCKED for as long as the worker applies jobs."""

    def __init__(self, factory: sessionmaker):
        self.factory, self.session = factory, None

    def acquire(self) -> bool:
        self.session = self.factory()
        row = self.session.execute(
            select(WorkerLease).where(WorkerLease.name == LEASE).with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if row is None:
            self.release()
            return False
        return True

    def renew(self) -> bool:
        return True

    def release(self) -> None:
        if self.session is not None:
            self.session.rollback()
            self.session.close()
            self.session = None


def apply_outbox(
    factory: sessionmaker,
    index_dir,
    *,
    batch: int = 200,
    lease_seconds: float = 60,
    stop: threading.Event | None = None,
) -> int:
    """Apply waiting index jobs if no other worker is doing so; return how many were applied."""
    _ensure_lease_row(factory)
    with factory() as probe:
        dialect = probe.get_bind().dialect.name
    lease = (
        _PostgresLease(factory) if dialect == "postgresql" else _SqliteLease(factory, lease_seconds)
    )
    if not lease.acquire():
        return 0
    applied = 0
    try:
        while stop is None or not stop.is_set():
            if not lease.renew():
                break
            with factory() as s:
                now = utcnow()
                jobs = list(
                    s.scalars(
                        select(IndexJob)
                        .where(or_(IndexJob.not_before.is_(None), IndexJob.not_before <= now))
                        .order_by(IndexJob.id)
                        .limit(batch)
                    )
                )
                if not jobs:
                    break
                applied += _apply_jobs(s, index_dir, jobs)
    finally:
        lease.release()
    return applied


def _apply_jobs(s: Session, index_dir, jobs: list[IndexJob]) -> int:
    by_draft: dict[int, list[IndexJob]] = {}
    for job in jobs:
        by_draft.setdefault(job.draft_id, []).append(job)
    done = 0
    for draft_id, group in by_draft.items():
        change: dict = {}
        for job in group:
            merge_changes(
                change,
                {
                    draft_id: {
                        "full": job.full,
                        "provisions": set(job.provisions or []),
                        "versions": set(job.versions or []),
                    }
                },
            )
        ids = [j.id for j in group]
        try:
            apply_change(s, index_dir, draft_id, change[draft_id])
        except Exception as err:  # the edit stands; the job waits and is tried again
            log.exception("could not reindex draft %s", draft_id)
            s.rollback()
            attempts = max(j.attempts for j in group) + 1
            s.execute(
                update(IndexJob)
                .where(IndexJob.id.in_(ids))
                .values(
                    attempts=attempts,
                    not_before=utcnow() + timedelta(seconds=min(MAX_PAUSE, 2**attempts)),
                    last_error=repr(err)[:2000],
                )
            )
            s.commit()
            continue
        s.execute(delete(IndexJob).where(IndexJob.id.in_(ids)))
        s.commit()
        done += len(ids)
    return done


class OutboxWorker:
    """A background thread of the web process that applies the outbox after each edit.

    It also looks every `poll` seconds, so that work left by a process that died is done.
    """

    def __init__(self, factory: sessionmaker, index_dir, *, poll: float = 5, lease: float = 60):
        self.factory, self.index_dir, self.poll, self.lease = factory, index_dir, poll, lease
        self.wake = threading.Event()
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(
                    target=self._loop, name="concord-index-outbox", daemon=True
                )
                self.thread.start()

    def notify(self) -> None:
        self.start()
        self.wake.set()

    def _loop(self) -> None:
        while not self.stop.is_set():
            self.wake.wait(self.poll)
            self.wake.clear()
            run_once(self.factory, self.index_dir, lease_seconds=self.lease, stop=self.stop)


def run_once(factory: sessionmaker, index_dir, **options) -> int:
    """Apply the outbox once; a busy or unreachable database is tried again later."""
    try:
        return apply_outbox(factory, index_dir, **options)
    except OperationalError as err:
        log.warning("index outbox: database busy or unreachable: %s", str(err.orig)[:200])
    except Exception:
        log.exception("index outbox: unexpected failure")
    return 0
