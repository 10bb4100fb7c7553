"""Server-side sessions, token expiry and sign-in throttling per name and address."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from concord.accounts import sign_in_sessions
from concord.accounts import users as accounts
from concord.accounts.models import ApiToken, UserSession
from concord.clock import shown_day
from concord.db import utcnow
from drafting.errors import NotAuthenticated
from tests.helpers import csrf_of, make_user


def _cookie(client):
    return client.get_cookie("concord_session").value


def test_the_cookie_holds_only_a_random_key(client, session, auth):
    user = make_user(session, "alice")
    auth.login("alice")
    with client.session_transaction() as held:
        assert set(held) - {"_permanent"} == {"sid", "csrf"}
    assert user.password_hash[-16:] not in _cookie(client)
    assert user.password_hash.split("$")[-1][-16:] not in _cookie(client)


def test_a_copied_cookie_stops_working_after_sign_out(app, client, session, auth):
    make_user(session, "alice")
    auth.login("alice")
    stolen = _cookie(client)
    auth.logout()
    other = app.test_client()
    other.set_cookie("concord_session", stolen)
    assert other.get("/projects").status_code == 302


def test_a_new_password_and_an_admin_end_every_session(app, client, session, auth):
    make_user(session, "alice")
    auth.login("alice")
    assert client.get("/projects").status_code == 200
    sign_in_sessions.change_password(session, "alice", "a-new-long-password")
    assert client.get("/projects").status_code == 302
    auth.login("alice", "a-new-long-password")
    assert client.get("/projects").status_code == 200
    assert sign_in_sessions.end_sessions_of(session, "alice") == 1
    assert client.get("/projects").status_code == 302


@pytest.mark.parametrize("column", ["last_seen_at", "created_at"])
def test_idle_and_old_sessions_end(app, client, session, auth, column):
    make_user(session, "alice")
    auth.login("alice")
    limit = (
        timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
        if column == "last_seen_at"
        else timedelta(hours=app.config["SESSION_MAX_HOURS"])
    )
    session.execute(update(UserSession).values({column: utcnow() - limit - timedelta(minutes=1)}))
    session.commit()
    assert client.get("/projects").status_code == 302
    assert session.scalar(select(UserSession.ended_at)) is not None


def test_api_tokens_can_expire(client, session):
    user = make_user(session, "alice")
    raw = accounts.issue_token(session, user, name="report", days=30)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/projects", headers=headers).status_code == 200
    session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    assert client.get("/api/v1/projects", headers=headers).status_code == 401


def test_tokens_page_offers_an_expiry(client, session, auth):
    make_user(session, "alice")
    auth.login("alice")
    token = csrf_of(client, "/account/tokens")
    page = client.post("/account/tokens", data={"name": "ci", "days": "30", "csrf_token": token})
    expires = shown_day(utcnow() + timedelta(days=30))  # the page shows Beijing days
    assert expires in page.get_data(as_text=True)
    bad = client.post("/account/tokens", data={"name": "ci", "days": "99999", "csrf_token": token})
    assert bad.status_code == 400


def test_guessing_from_one_address_does_not_lock_the_owner_out(session):
    make_user(session, "alice")
    for _ in range(accounts.FREE_FAILURES + 2):
        with pytest.raises(NotAuthenticated):
            accounts.authenticate(session, "alice", "wrong", address="203.0.113.9")
    with pytest.raises(NotAuthenticated) as err:
        accounts.authenticate(session, "alice", "pw-alice-secret", address="203.0.113.9")
    assert "秒后再试" in err.value.message
    # Alice at her own desk signs in at once.
    user = accounts.authenticate(session, "alice", "pw-alice-secret", address="198.51.100.7")
    assert user.username == "alice"


def test_one_address_trying_many_names_is_slowed(session):
    for n in range(accounts.ADDRESS_FREE_FAILURES):
        with pytest.raises(NotAuthenticated) as err:
            accounts.authenticate(session, f"name{n}", "wrong", address="203.0.113.9")
        assert "秒后再试" not in err.value.message
    assert accounts.login_wait(session, "someone-else", "203.0.113.9") > 0
    assert accounts.login_wait(session, "someone-else", "198.51.100.7") == 0


def test_the_sign_in_form_throttles_per_address(app, session):
    make_user(session, "alice")
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for _ in range(accounts.FREE_FAILURES):
        _post_login(guesser, "alice", "wrong")
    assert _post_login(guesser, "alice", "pw-alice-secret").status_code == 429
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert _post_login(owner, "alice", "pw-alice-secret").status_code == 302


def _post_login(client, username, password):
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(client)},
    )
