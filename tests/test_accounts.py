"""Sign-in, throttling, CSRF, API tokens."""

import pytest

from concord.accounts import users as accounts
from drafting.errors import BadInput, Conflict, NotAuthenticated
from tests.helpers import bearer, csrf_of, make_user


def test_password_is_stored_hashed_with_a_current_algorithm(session):
    user = make_user(session, "alice")
    assert "pw-alice-secret" not in user.password_hash
    assert user.password_hash.startswith("scrypt:")


def test_sign_in_leads_to_the_project_list(client, session, auth):
    make_user(session, "alice")
    response = auth.login("alice")
    assert response.status_code == 302
    assert response.location.endswith("/projects")
    assert "协同立法项目" in client.get("/projects").get_data(as_text=True)


def test_wrong_password_and_unknown_user_get_the_same_message(client, session, auth):
    make_user(session, "alice")
    wrong = auth.login("alice", "not-the-password")
    unknown = auth.login("nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码错误" in wrong.get_data(as_text=True)
    assert "用户名或密码错误" in unknown.get_data(as_text=True)


def test_repeated_failures_are_slowed_down_even_for_the_right_password(session):
    make_user(session, "alice")
    for _ in range(accounts.FREE_FAILURES):
        with pytest.raises(NotAuthenticated):
            accounts.authenticate(session, "alice", "wrong")
    with pytest.raises(NotAuthenticated) as err:
        accounts.authenticate(session, "alice", "pw-alice-secret")
    assert "秒后再试" in err.value.message
    assert accounts.login_wait(session, "alice") > 0
    # Unknown names are throttled the same way, so throttling reveals nothing either.
    for _ in range(accounts.FREE_FAILURES):
        with pytest.raises(NotAuthenticated):
            accounts.authenticate(session, "ghost", "wrong")
    assert accounts.login_wait(session, "ghost") > 0


def test_throttled_sign_in_page_says_when_to_retry(client, session, auth):
    make_user(session, "alice")
    for _ in range(accounts.FREE_FAILURES):
        auth.login("alice", "wrong")
    response = auth.login("alice")
    assert response.status_code == 429
    assert "秒后再试" in response.get_data(as_text=True)


def test_form_without_csrf_token_is_refused(client, session):
    make_user(session, "alice")
    response = client.post("/login", data={"username": "alice", "password": "pw-alice-secret"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_sign_out_needs_csrf_and_ends_the_session(client, session, auth):
    make_user(session, "alice")
    auth.login("alice")
    assert client.post("/logout").status_code == 400
    auth.logout()
    assert client.get("/projects").status_code == 302


def test_sign_in_never_redirects_to_another_site(client, session):
    make_user(session, "alice")
    token = csrf_of(client)
    response = client.post(
        "/login?next=//evil.example/x",
        data={"username": "alice", "password": "pw-alice-secret", "csrf_token": token},
    )
    assert response.location.endswith("/projects")


def test_session_cookie_is_http_only_and_same_site(client, session, auth):
    make_user(session, "alice")
    response = auth.login("alice")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_api_token_works_until_revoked(client, session):
    user = make_user(session, "alice")
    raw = accounts.issue_token(session, user, name="script")
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/projects", headers=headers).status_code == 200
    token = accounts.tokens_of(session, user)[0]
    assert token.token_hash != raw and raw not in token.token_hash
    accounts.revoke_token(session, user, token.id)
    response = client.get("/api/v1/projects", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Basic abc"])
def test_api_without_a_valid_token_is_401_json(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/projects", headers=headers)
    assert response.status_code == 401
    assert set(response.get_json()["error"]) >= {"code", "message"}


def test_tokens_page_shows_a_new_token_once(client, session, auth):
    make_user(session, "alice")
    auth.login("alice")
    page = client.post(
        "/account/tokens", data={"name": "报表", "csrf_token": csrf_of(client, "/account/tokens")}
    ).get_data(as_text=True)
    assert "只显示这一次" in page
    raw = page.split('id="new-token" class="token">')[1].split("<")[0]
    assert (
        client.get("/api/v1/projects", headers={"Authorization": f"Bearer {raw}"}).status_code
        == 200
    )
    assert raw not in client.get("/account/tokens").get_data(as_text=True)


def test_user_creation_rejects_bad_input(session):
    with pytest.raises(BadInput):
        accounts.create_user(session, username="x", jurisdiction="000000", role="drafter")
    with pytest.raises(BadInput):
        accounts.create_user(session, username="x", jurisdiction="320300", role="king")
    make_user(session, "alice")
    with pytest.raises(Conflict):
        make_user(session, "alice")


def test_bearer_helper_user_sees_api(client, session):
    user = make_user(session, "bob")
    assert client.get("/api/v1/projects", headers=bearer(session, user)).get_json() == {
        "projects": []
    }
