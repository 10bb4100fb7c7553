"""Counters under concurrency: twenty requests at once get exactly the allowed number through.

Run on SQLite by default and on PostgreSQL in CI (CONCORD_TEST_DATABASE_URL): on PostgreSQL the
old read-then-write counting let 8 of 20 submissions past a limit of 5.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import func, select

from comments.opinions.models import OpinionIntake
from concord.accounts import users as accounts
from tests.helpers import csrf_of, make_user
from tests.intake_helpers import backdate, make_station, open_form

CONCURRENT = 20


def _all_at_once(prepared, send):
    """Run `send(item)` for every prepared item in its own thread, released together."""
    barrier = threading.Barrier(len(prepared))
    statuses, errors = [], []
    lock = threading.Lock()

    def run(item):
        try:
            barrier.wait(timeout=60)
            status = send(item)
        except Exception as err:  # pragma: no cover - shown in the assertion
            with lock:
                errors.append(repr(err))
            return
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=run, args=(item,)) for item in prepared]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return statuses


def _submissions(app, session, limits):
    app.config["INTAKE_LIMITS"] = limits
    station = make_station(session)
    prepared = []
    for _ in range(CONCURRENT):
        client = app.test_client()
        fields = backdate(client, app, open_form(client, station.code))
        prepared.append((client, fields))

    def send(item):
        client, fields = item
        data = {**fields, "category": "城市建设与管理", "text": "路灯坏了。", "contact": ""}
        return client.post(f"/intake/{station.code}", data=data).status_code

    statuses = _all_at_once(prepared, send)
    session.rollback()
    stored = session.scalar(select(func.count()).select_from(OpinionIntake))
    return statuses, stored


def test_twenty_at_once_to_a_station_with_a_limit_of_five_admit_exactly_five(app, session):
    statuses, stored = _submissions(app, session, {"per_station": 5, "per_client": 1000})
    assert sorted(statuses) == [201] * 5 + [429] * (CONCURRENT - 5)
    assert stored == 5


def test_twenty_at_once_from_one_person_admit_exactly_their_limit(app, session):
    statuses, stored = _submissions(app, session, {"per_station": 1000, "per_client": 5})
    assert sorted(statuses) == [201] * 5 + [429] * (CONCURRENT - 5)
    assert stored == 5


def test_twenty_wrong_passwords_at_once_are_checked_exactly_the_allowed_times(
    app, session, monkeypatch
):
    make_user(session, "alice")
    # One instant for the whole burst: the back-off after the allowed failures never runs out
    # mid-test, however slowly the threads are scheduled.
    instant = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    monkeypatch.setattr(accounts, "utcnow", lambda: instant)
    checks = []
    real = accounts.password_matches

    def counted(stored, given):
        checks.append(1)
        return real(stored, given)

    monkeypatch.setattr(accounts, "password_matches", counted)
    prepared = []
    for _ in range(CONCURRENT):
        client = app.test_client()
        prepared.append((client, csrf_of(client)))

    def send(item):
        client, token = item
        data = {"username": "alice", "password": "wrong-guess", "csrf_token": token}
        return client.post("/login", data=data).status_code

    statuses = _all_at_once(prepared, send)
    allowed = accounts.FREE_FAILURES
    assert len(checks) == allowed
    assert sorted(statuses) == [401] * allowed + [429] * (CONCURRENT - allowed)


def test_a_form_is_good_for_one_submission(app, client, session):
    station = make_station(session)
    fields = backdate(client, app, open_form(client, station.code))
    data = {**fields, "category": "城市建设与管理", "text": "路灯坏了。", "contact": ""}
    assert client.post(f"/intake/{station.code}", data=data).status_code == 201
    again = client.post(f"/intake/{station.code}", data=data)
    assert again.status_code == 409
    assert "已经提交过了" in again.get_data(as_text=True)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(OpinionIntake)) == 1


def test_one_form_sent_twenty_times_at_once_is_stored_once(app, session):
    station = make_station(session)
    first = app.test_client()
    fields = backdate(first, app, open_form(first, station.code))
    cookie = first.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    prepared = []
    for _ in range(CONCURRENT):
        client = app.test_client()  # another tab of the same browser: same session cookie
        client.set_cookie(cookie.key, cookie.value)
        prepared.append(client)

    def send(client):
        data = {**fields, "category": "城市建设与管理", "text": "路灯坏了。", "contact": ""}
        return client.post(f"/intake/{station.code}", data=data).status_code

    statuses = _all_at_once(prepared, send)
    assert sorted(statuses) == [201] + [409] * (CONCURRENT - 1)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(OpinionIntake)) == 1
