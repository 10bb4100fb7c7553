"""Each demo role signs in and sees exactly what that role should."""

import pytest

from concord.demo import load_demo
from tests.helpers import csrf_of

HUAIHAI, YISHUSI, HUANGHE = (
    "淮海战役红色资源保护协同立法",
    "沂沭泗流域水环境协同保护立法",
    "黄河故道生态保护协同立法",
)


@pytest.fixture
def demo(session):
    load_demo(session)


def sign_in(client, username):
    password = "demo-" + username.replace("_", "-")
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": csrf_of(client)}
    )


@pytest.mark.parametrize(
    "username, sees, hidden, audit, may_edit_common",
    [
        ("xz_admin", {HUAIHAI, YISHUSI, HUANGHE}, set(), True, True),
        ("xz_drafter", {HUAIHAI, YISHUSI}, {HUANGHE}, True, True),
        ("sq_commenter", {HUAIHAI, YISHUSI}, {HUANGHE}, False, False),
        ("adviser", {HUAIHAI, YISHUSI}, {HUANGHE}, False, False),
        ("hb_drafter", {HUAIHAI}, {YISHUSI, HUANGHE}, False, False),
        ("shq_drafter", {HUAIHAI, HUANGHE}, {YISHUSI}, False, False),
    ],
)
def test_each_role_sees_what_it_should(
    client, demo, username, sees, hidden, audit, may_edit_common
):
    assert sign_in(client, username).status_code == 302
    listing = client.get("/projects").get_data(as_text=True)
    assert all(title in listing for title in sees)
    assert not any(title in listing for title in hidden)
    dashboard = client.get("/projects/1").get_data(as_text=True)
    assert ("/projects/1/audit" in dashboard) is audit
    assert (client.get("/projects/1/audit").status_code == 200) is audit
    draft = client.get("/drafts/1").get_data(as_text=True)
    assert ("edit-link" in draft) is may_edit_common
    assert client.get("/search").status_code == 200
