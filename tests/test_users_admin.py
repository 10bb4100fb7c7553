"""Users managed in the app: each admin only within their jurisdiction, never above their rank,
never the last admin; deactivated users keep their history but cannot sign in or use tokens."""

from __future__ import annotations

import re

import pytest

from concord.accounts import management
from concord.accounts.models import User
from drafting.errors import NotPermitted
from drafting.models import AuditEntry
from tests.helpers import bearer, csrf_of, make_user


@pytest.fixture
def people(session):
    """A drafter first (so no admin is platform admin by accident), two cities' admins."""
    drafter = make_user(session, "xz_drafter", "320300", "drafter")
    xz_admin = make_user(session, "xz_admin", "320300", "admin")
    sq_admin = make_user(session, "sq_admin", "321300", "admin")
    sq_drafter = make_user(session, "sq_drafter", "321300", "drafter")
    assert not xz_admin.platform_admin
    return {
        "drafter": drafter,
        "xz_admin": xz_admin,
        "sq_admin": sq_admin,
        "sq_drafter": sq_drafter,
        "h": {"xz_admin": bearer(session, xz_admin), "drafter": bearer(session, drafter)},
    }


def test_an_admin_creates_a_user_who_sets_a_password_with_the_one_time_link(client, people):
    answer = client.post(
        "/api/v1/users",
        json={"name": "xz_new", "role": "drafter", "email": "new@xz.example"},
        headers=people["h"]["xz_admin"],
    )
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["jurisdiction"] == "320300" and body["email"] == "new@xz.example"
    path = re.sub(r"^https?://[^/]+", "", body["set_password_url"])
    form = client.get(path)
    assert form.status_code == 200 and "xz_new" in form.get_data(as_text=True)
    token = csrf_of(client, path)
    done = client.post(
        path, data={"csrf_token": token, "password": "a-good-pw-1", "repeat": "a-good-pw-1"}
    )
    assert done.status_code == 302
    assert client.get("/account").status_code == 200  # signed in
    assert client.get(path).status_code == 404  # the link is used up


def test_an_admin_cannot_list_or_create_users_of_another_jurisdiction(client, people):
    h = people["h"]["xz_admin"]
    assert client.get("/api/v1/users?jurisdiction=321300", headers=h).status_code == 403
    created = client.post(
        "/api/v1/users",
        json={"name": "spy", "role": "drafter", "jurisdiction": "321300"},
        headers=h,
    )
    assert created.status_code == 403
    own = client.get("/api/v1/users", headers=h).get_json()["users"]
    assert {u["name"] for u in own} == {"xz_drafter", "xz_admin"}


def test_an_admin_cannot_see_or_change_a_user_of_another_jurisdiction(client, auth, people):
    target = people["sq_drafter"].id
    h = people["h"]["xz_admin"]
    assert (
        client.patch(f"/api/v1/users/{target}", json={"role": "admin"}, headers=h).status_code
        == 404
    )
    assert client.post(f"/api/v1/users/{target}/sessions/end", headers=h).status_code == 404
    auth.login("xz_admin")
    assert client.get(f"/admin/users/{target}").status_code == 404
    assert client.get("/admin/users?jurisdiction=321300").status_code == 403


def test_non_admins_manage_nobody(client, people):
    h = people["h"]["drafter"]
    assert client.get("/api/v1/users", headers=h).status_code == 403
    answer = client.patch(
        f"/api/v1/users/{people['xz_admin'].id}", json={"active": False}, headers=h
    )
    assert answer.status_code == 404


def test_an_admin_cannot_raise_anyone_above_their_own_role(client, people):
    h = people["h"]["xz_admin"]
    answer = client.post(
        "/api/v1/users",
        json={
            "name": "boss",
            "role": "admin",
            "platform_admin": True,
            "password": "pw-boss-secret",
        },
        headers=h,
    )
    assert answer.status_code == 403
    assert (
        client.post(
            "/api/v1/users",
            json={"name": "peer", "role": "admin", "password": "pw-peer-secret"},
            headers=h,
        ).status_code
        == 201
    )


def test_a_city_admin_cannot_change_the_platform_admin_of_their_city(client, session, people):
    boss = make_user(session, "boss", "320300", "admin")
    boss.platform_admin = True
    session.commit()
    answer = client.patch(
        f"/api/v1/users/{boss.id}", json={"role": "drafter"}, headers=people["h"]["xz_admin"]
    )
    assert answer.status_code == 403
    ended = client.post(f"/api/v1/users/{boss.id}/sessions/end", headers=people["h"]["xz_admin"])
    assert ended.status_code == 403
    hash_before = boss.password_hash
    with pytest.raises(NotPermitted):
        management.reset_password(session, people["xz_admin"], boss.id)
    session.rollback()
    assert session.get(User, boss.id).password_hash == hash_before


def test_the_last_admin_of_a_jurisdiction_cannot_be_deactivated_or_demoted(client, session, people):
    boss = make_user(session, "boss", "110000", "admin")
    boss.platform_admin = True
    session.commit()
    h = bearer(session, boss)
    sq_admin = people["sq_admin"].id
    assert (
        client.patch(f"/api/v1/users/{sq_admin}", json={"active": False}, headers=h).status_code
        == 409
    )
    assert (
        client.patch(f"/api/v1/users/{sq_admin}", json={"role": "drafter"}, headers=h).status_code
        == 409
    )
    second = client.post(
        "/api/v1/users",
        json={
            "name": "sq_admin2",
            "role": "admin",
            "jurisdiction": "321300",
            "password": "pw-sq-admin2",
        },
        headers=h,
    )
    assert second.status_code == 201  # the platform admin manages every city's admins
    assert (
        client.patch(f"/api/v1/users/{sq_admin}", json={"active": False}, headers=h).status_code
        == 200
    )


def test_a_deactivated_user_keeps_history_but_cannot_sign_in_or_use_tokens(client, session, people):
    drafter = people["drafter"]
    h = people["h"]
    assert client.get("/api/v1/projects", headers=h["drafter"]).status_code == 200
    answer = client.patch(
        f"/api/v1/users/{drafter.id}", json={"active": False}, headers=h["xz_admin"]
    )
    assert answer.status_code == 200 and answer.get_json()["active"] is False
    assert client.get("/api/v1/projects", headers=h["drafter"]).status_code == 401
    from tests.helpers import login

    assert login(client, "xz_drafter").status_code == 401
    session.expire_all()
    assert session.get(User, drafter.id) is not None
    actions = {e.action for e in session.query(AuditEntry).all()}
    assert "user.deactivate" in actions
    back = client.patch(f"/api/v1/users/{drafter.id}", json={"active": True}, headers=h["xz_admin"])
    assert back.status_code == 200
    assert login(client, "xz_drafter").status_code == 302


def test_reset_password_and_end_sessions_end_the_users_sign_in(client, auth, people):
    auth.login("xz_drafter")
    assert client.get("/account").status_code == 200
    other = client.application.test_client()
    from tests.helpers import login

    login(other, "xz_admin")
    page = other.get(f"/admin/users/{people['drafter'].id}")
    assert "xz_drafter" in page.get_data(as_text=True)
    token = csrf_of(other, f"/admin/users/{people['drafter'].id}")
    reset = other.post(
        f"/admin/users/{people['drafter'].id}", data={"csrf_token": token, "action": "reset"}
    )
    assert "/set-password/" in reset.get_data(as_text=True)
    assert client.get("/account").status_code == 302  # signed out
    assert login(client, "xz_drafter").status_code == 401  # the old password is void


def test_the_users_page_lists_last_sign_in_and_creates_with_a_link(client, auth, people):
    auth.login("xz_admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "xz_drafter" in page and "sq_drafter" not in page
    token = csrf_of(client, "/admin/users")
    made = client.post(
        "/admin/users", data={"csrf_token": token, "username": "xz_c", "role": "commenter"}
    )
    assert made.status_code == 200 and "/set-password/" in made.get_data(as_text=True)
    refused = client.post(
        "/admin/users", data={"csrf_token": token, "username": "x y", "role": "commenter"}
    )
    assert refused.status_code == 422


def test_only_the_platform_admin_chooses_other_cities_and_adds_jurisdictions(
    client, auth, session, people
):
    auth.login("xz_admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert 'select id="jurisdiction"' not in page and 'name="platform"' not in page
    assert client.get("/admin/jurisdictions").status_code == 403
    session.get(User, people["xz_admin"].id).platform_admin = True
    session.commit()
    page = client.get("/admin/users").get_data(as_text=True)
    assert 'select id="jurisdiction"' in page and "321300" in page and 'name="platform"' in page
    assert client.get("/admin/jurisdictions").status_code == 200


def test_the_first_user_and_platform_flag_make_a_platform_admin(runner_env, tmp_path):
    """`concord user create --role admin --platform` makes a platform admin."""
    from click.testing import CliRunner

    from concord.cli import main

    result = CliRunner().invoke(
        main,
        [
            "user",
            "create",
            "root",
            "--jurisdiction",
            "320300",
            "--role",
            "admin",
            "--platform",
            "--email",
            "root@example.org",
            "--password-stdin",
        ],
        input="pw-root-secret\n",
        env=runner_env,
    )
    assert result.exit_code == 0, result.output
    from sqlalchemy import create_engine, text

    engine = create_engine(runner_env["DATABASE_URL"])
    with engine.connect() as conn:
        row = conn.execute(text("SELECT platform_admin, email FROM user_account")).one()
    engine.dispose()
    assert bool(row[0]) and row[1] == "root@example.org"


@pytest.fixture
def runner_env(tmp_path):
    return {
        "CONCORD_INSTANCE": str(tmp_path / "inst"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
    }


def test_my_password_change_needs_the_current_one_and_ends_my_other_sessions(
    client, app, auth, people
):
    auth.login("xz_drafter")
    other = app.test_client()
    from tests.helpers import login

    login(other, "xz_drafter")
    token = csrf_of(client, "/account")
    wrong = client.post(
        "/account",
        data={"csrf_token": token, "action": "password", "current": "nope", "new": "pw-new-secret"},
    )
    assert wrong.status_code == 422
    ok = client.post(
        "/account",
        data={
            "csrf_token": token,
            "action": "password",
            "current": "pw-xz_drafter-secret",
            "new": "pw-new-secret",
        },
    )
    assert ok.status_code == 302
    assert client.get("/account").status_code == 200  # this session goes on
    assert other.get("/account").status_code == 302  # the other one ended


def test_my_language_follows_me_to_the_next_sign_in(client, auth, people):
    auth.login("xz_drafter")
    token = csrf_of(client, "/account")
    saved = client.post(
        "/account",
        data={
            "csrf_token": token,
            "display_name": "林",
            "email": "lin@xz.example",
            "language": "en",
        },
    )
    assert saved.status_code == 302
    auth.logout()
    client.delete_cookie("lang")
    auth.login("xz_drafter")
    assert "My account" in client.get("/account").get_data(as_text=True)


def test_the_api_changes_my_password_only_with_the_current_one(client, session, people):
    h = people["h"]["drafter"]
    wrong = client.post(
        "/api/v1/account/password", json={"current": "x", "new": "pw-new-one"}, headers=h
    )
    assert wrong.status_code == 400 and wrong.get_json()["error"]["field"] == "current"
    ok = client.post(
        "/api/v1/account/password",
        json={"current": "pw-xz_drafter-secret", "new": "pw-new-one"},
        headers=h,
    )
    assert ok.status_code == 200
    from tests.helpers import login

    assert login(client, "xz_drafter", "pw-new-one").status_code == 302


def test_the_notify_commands(runner_env):
    from click.testing import CliRunner

    from concord.cli import main

    due = CliRunner().invoke(main, ["notify", "due", "--today", "2026-12-07"], env=runner_env)
    assert due.exit_code == 0 and "Added 0 reminder(s) for 2026-12-07" in due.output
    mail = CliRunner().invoke(main, ["notify", "mail"], env={**runner_env, "CONCORD_SMTP_URL": ""})
    assert mail.exit_code == 2 and "CONCORD_SMTP_URL is not set" in mail.output
