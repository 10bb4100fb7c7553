"""Junk in every field of every form and endpoint gets a 4xx with a message, never a 500."""

import pytest

from concord.demo import load_demo
from tests.helpers import bearer, csrf_of

JUNK = ["", "abc", "-1", "99999999", "'\"<script>", "１２", "null", "1.5", "第三条"]


@pytest.fixture
def demo(session):
    load_demo(session)
    from concord.accounts.models import User

    return session.query(User).filter_by(username="xz_drafter").one()


PAGES_POST = [
    ("/projects/1/stages", ["jurisdiction", "stage", "on", "note"]),
    ("/projects/1/participants", ["jurisdiction"]),
    ("/projects/new", ["title", "lead", "participants"]),
    ("/projects/1/drafts/new", ["source", "jurisdiction", "title", "text", "common"]),
    (
        "/drafts/1/structure",
        ["action", "kind", "text", "after", "parent", "provision", "anchor", "after_article"],
    ),
    ("/drafts/1/versions", ["name"]),
    ("/drafts/1/provisions/2/restore", ["revision"]),
    ("/drafts/1/provisions/2/edit", ["text-2", "base-2", "reason"]),
    ("/projects/1/reconciliation/pins", ["draft", "common", "city"]),
    ("/projects/1/propagation/accept", ["draft", "common", "city_revision"]),
    ("/projects/1/propagation/decline", ["draft", "common", "reason"]),
    ("/account/tokens", ["revoke", "name"]),
]

PAGES_GET = [
    "/drafts/1/compare?against={v}&with={v}",
    "/drafts/1/export?format={v}",
    "/search?q={v}&scope={v}&year_from={v}&sort={v}&page={v}&limit={v}",
    "/search/law?path={v}",
    "/projects/1/reconciliation?format={v}",
    "/projects/1/propagation?draft={v}",
    "/projects/1/audit?page={v}",
]


def test_forms_and_pages_with_junk_never_fail_with_500(client, auth, demo):
    auth.login("xz_drafter", "demo-xz-drafter")
    token = csrf_of(client, "/projects")
    for path, fields in PAGES_POST:
        for value in JUNK:
            response = client.post(path, data={"csrf_token": token, **{f: value for f in fields}})
            assert response.status_code < 500, (path, value)
    for template in PAGES_GET:
        for value in JUNK:
            response = client.get(template.format(v=value))
            assert response.status_code < 500, (template, value)


API = [
    ("POST", "/api/v1/projects", ["title", "lead", "participants", "subject"]),
    (
        "POST",
        "/api/v1/projects/1/drafts",
        ["jurisdiction", "title", "text", "common", "from_common"],
    ),
    ("POST", "/api/v1/drafts/1/provisions", ["kind", "text", "after", "parent"]),
    ("PATCH", "/api/v1/provisions/2", ["text", "base_revision", "reason"]),
    ("POST", "/api/v1/provisions/2/move", ["after", "parent"]),
    ("POST", "/api/v1/provisions/2/restore", ["revision"]),
    ("POST", "/api/v1/drafts/1/versions", ["name", "note"]),
    ("POST", "/api/v1/projects/1/reconciliation/pins", ["draft", "common", "city"]),
    ("POST", "/api/v1/projects/1/propagation/accept", ["draft", "common", "city_revision"]),
    ("POST", "/api/v1/projects/1/propagation/decline", ["draft", "common", "reason"]),
]


def test_api_with_junk_bodies_answers_json_errors(client, session, demo):
    headers = bearer(session, demo)
    for method, path, fields in API:
        _junk_bodies(client, headers, method, path, fields)


def _junk_bodies(client, headers, method, path, fields):
    bodies = [{f: v for f in fields} for v in JUNK]
    bodies += [{f: [v] for f in fields} for v in JUNK[:3]]
    bodies += [{f: {"x": 1} for f in fields}, [], "text", None]
    for body in bodies:
        response = client.open(path, method=method, json=body, headers=headers)
        assert response.status_code < 500, (path, body, response.get_data(as_text=True)[:300])
        if response.status_code >= 400:
            assert response.get_json()["error"]["message"], (path, body)


@pytest.mark.parametrize("value", [["a"], {"x": 1}, 3.5])
def test_a_nullable_field_of_two_types_names_the_field_when_refused(app, value):
    """`apply: true|"yes"|null` refused for a list is a 400 naming the field, not a crash."""
    from concord.web.inputs import validate
    from drafting.errors import BadInput

    schema = {
        "type": "object",
        "properties": {
            "apply": {"anyOf": [{"type": "boolean"}, {"type": "string"}], "nullable": True}
        },
    }
    with app.test_request_context():
        validate({"apply": None}, schema)
        validate({"apply": "yes"}, schema)
        with pytest.raises(BadInput) as refused:
            validate({"apply": value}, schema)
    assert "apply" in refused.value.message
