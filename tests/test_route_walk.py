"""Walk every route of the app with hostile input: no answer may be a 5xx.

The routes come from the app's URL map, so a new route is walked as soon as it exists. A route
whose path has an argument that is not an `<int:…>` id needs a value in PATH_VALUES, else this
test fails and says so; everything else is generic. Fields come from FIELDS below (the names
the views read); add new ones there, the walker sends each of them every hostile value.
"""

from __future__ import annotations

import json
import re

import pytest

from drafting.services import versions
from drafting.services.drafts import load_tree
from tests.helpers import bearer, csrf_of, login, make_draft, make_project, make_user

HUGE = "99999999999999999999"  # beyond 64 bits
PATH_VALUES = {
    "action": ["insert", "move", "delete", "split", "merge", "x", "%0a"],
    "code": ["en", "zh", "%0a", "xx"],
    "decision": ["accept", "decline", "x"],
    "fmt": ["png", "pdf", "docx", "svg", "x", "%0a"],
    "key": ["x", "%0a", "a" * 300, "%ED%A0%80"],
}
SKIP = {"static"}
# The fields the views and API read; every one gets every hostile value.
FIELDS = (
    "action after after_article all anchor article back base_revision city city_revision "
    "common days decision draft edited file filter format fragment from_common group heading "
    "in_force jurisdiction kind lead level limit name next note on page parent participants "
    "password path provision q reason revision revoke scope sort source stage subject text "
    "title username with year_from year_to against where target confirm neighbour at"
    " body quote proposed_text opens closes invited handling assignee deadline reply category"
    " contact number status channel apply unit quarter"
).split()
# Values that steer a view to one of its branches, so the hostile ones reach deeper code.
STEERING = {
    "action": ["insert", "delete", "move", "edit"],
    "kind": ["article", "clause", "chapter"],
    "format": ["docx", "md", "html", "json"],
    "scope": ["precedent", "workspace", "all"],
    "decision": ["accept", "decline"],
}
HOSTILE_STRINGS = [
    "\u0000",
    "a\u000bb\u001b[31m",
    "/\nSet-Cookie: x=1",
    HUGE,
    "v" + HUGE,
    "2147483648",
    "-1",
    "1.5",
    "１２",
    "٣",
    "x" * 30_000,
    "",
]
HOSTILE_JSON = [
    ["a", "b"],
    {"a": 1},
    2**64,
    -(2**63),
    130.7,
    True,
    None,
    "\u0000",
    "x" * 30_000,
]


def _deep(n: int) -> str:
    return "[" * n + "]" * n


RAW_JSON_BODIES = [
    '{"text": "\\ud800", "title": "\\udfff", "name": "\\ud800x"}',
    _deep(5000),
    '{"a": ' * 3000 + "1" + "}" * 3000,
    "{bad json",
    '"just a string"',
    "[1, 2, 3]",
    '{"text": NaN, "after": Infinity}',
    '{"after": 1e400}',
]


@pytest.fixture
def world(app, session):
    """A lead drafter with a project, its common text, a city draft and a version."""
    lead = make_user(session, "lead")
    city = make_user(session, "city", jurisdiction="321300")
    project = make_project(session, lead)
    common = make_draft(session, lead, project)
    draft = make_draft(session, city, project, common=False)
    versions.create_version(session, lead, common, name="征求意见稿")
    article = load_tree(session, common).articles()[1]
    return {
        "lead": lead,
        "ids": {
            "project_id": project.id,
            "draft_id": common.id,
            "provision_id": article.id,
            "pin_id": 1,
        },
        "city_draft": draft.id,
    }


def _paths(rule, ids) -> list[str]:
    """Return concrete paths for a rule: real ids, the largest id, beyond 64 bits, zero."""
    args = re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule.rule)
    choices: list[dict] = [{}]
    for converter, name in args:
        if converter == "int":
            values = [str(ids.get(name, 1)), str(2**31), HUGE, "0"]
        elif name in PATH_VALUES:
            values = PATH_VALUES[name]
        else:
            pytest.fail(f"{rule.rule}: add hostile values for <{name}> to PATH_VALUES")
        choices = [{**c, name: v} for c in choices for v in values][:12]
    out = []
    for choice in choices:
        path = rule.rule
        for _converter, name in args:
            path = re.sub(rf"<(?:\w+(?:\([^)]*\))?:)?{name}>", choice[name], path)
        out.append(path)
    return out


def _form_variants() -> list[dict]:
    """Every hostile string in every field; the worst few also with each steering value."""
    variants = [{f: value for f in FIELDS} for value in HOSTILE_STRINGS]
    variants.append({f: ["1", "2", HUGE] for f in FIELDS})
    for value in ("a\u000bb\u001b[31m", HUGE, "1.5"):
        for field, steer in STEERING.items():
            variants += [{**{f: value for f in FIELDS}, field: s} for s in steer]
    return variants


def _json_variants() -> list[dict]:
    """Every hostile JSON value in every field; lists also with each steering value."""
    variants = [{f: value for f in FIELDS} for value in HOSTILE_JSON]
    for field, steer in STEERING.items():
        variants += [{**{f: ["a"] for f in FIELDS}, field: s} for s in steer]
    return variants


def _query_variants() -> list[str]:
    out = []
    for value in ["\u0000", "/\nSet-Cookie: x=1", HUGE, "v" + HUGE, "-1", "x" * 5000]:
        pairs = [(f, value) for f in ("next", "page", "format", "against", "with", "q", "draft")]
        out.append("&".join(f"{k}={_quote(v)}" for k, v in pairs))
    out.append("q=%ED%A0%80&next=%0d%0aLocation:%20//evil&page=-5&limit=" + HUGE)
    out.append("format=docx&against=v" + HUGE)
    out.append("format=html&against=d1&with=v" + HUGE + "&all=1")
    out.append("scope=workspace&q=红色&year_from=" + HUGE)
    return out


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def _check(answer, what, seen):
    seen.append(what)
    assert answer.status_code < 500, f"{what}: {answer.status_code} {answer.get_data()[:300]!r}"


def test_every_route_answers_hostile_input_without_a_server_error(app, session, world):
    pages = app.test_client()
    login(pages, "lead")
    token = csrf_of(pages, "/projects")
    headers = bearer(session, world["lead"])
    anonymous = app.test_client()
    walked = set()
    seen: list = []
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SKIP]
    assert len(rules) > 40
    for rule in rules:
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        api = rule.rule.startswith("/api/")
        for path in _paths(rule, world["ids"]):
            for method in methods:
                walked.add((rule.rule, method))
                client = pages
                extra = {"headers": headers} if api else {}
                _check(anonymous.open(path, method=method), (method, path, "anonymous"), seen)
                if method == "GET":
                    for query in _query_variants():
                        _check(
                            client.open(f"{path}?{query}", method="GET", **extra),
                            (method, path, query[:60]),
                            seen,
                        )
                    continue
                if path.count("/") > 1 and not path.split("/")[-1].isdigit() and HUGE in path:
                    continue  # one hostile id per rule is enough for the writing methods
                first = path == _paths(rule, world["ids"])[0]
                for form in _form_variants()[:: 1 if first else 7]:
                    data = {**form, "csrf_token": token}
                    _check(
                        client.open(path, method=method, data=data, **extra),
                        (method, path, "form", str(form.get("action"))[:20]),
                        seen,
                    )
                for body in _json_variants()[:: 1 if first else 5]:
                    _check(
                        client.open(path, method=method, json=body, **extra),
                        (method, path, "json", repr(body.get("text"))[:20]),
                        seen,
                    )
                for raw in RAW_JSON_BODIES:
                    _check(
                        client.open(
                            path,
                            method=method,
                            data=raw,
                            content_type="application/json",
                            headers={**extra.get("headers", {}), "X-CSRF-Token": token},
                        ),
                        (method, path, "raw", raw[:20]),
                        seen,
                    )
    every = {(r.rule, m) for r in rules for m in r.methods - {"HEAD", "OPTIONS"}}
    assert walked == every
    assert len(seen) > 1000


def test_a_newline_in_next_is_not_a_header(app, session, world):
    pages = app.test_client()
    answer = pages.get("/lang/en?next=/projects%0d%0aSet-Cookie:%20x=1")
    assert answer.status_code == 302 and "\n" not in answer.location
    login(pages, "lead")
    assert pages.get("/lang/zh?next=/projects").location.endswith("/projects")


def test_hostile_api_fields_are_named_in_the_message(app, session, world):
    client, headers = app.test_client(), bearer(session, world["lead"])
    p = world["ids"]["provision_id"]
    before = client.get(f"/api/v1/provisions/{p}", headers=headers).get_json()["text"]
    answer = client.patch(f"/api/v1/provisions/{p}", json={"text": ["a"]}, headers=headers)
    assert answer.status_code == 400 and "text" in answer.get_json()["error"]["message"]
    answer = client.post(
        f"/api/v1/drafts/{world['ids']['draft_id']}/provisions",
        json={"kind": "article", "text": "新条文。", "after": 130.7},
        headers=headers,
    )
    assert answer.status_code == 400 and "after" in answer.get_json()["error"]["message"]
    answer = client.post(
        "/api/v1/projects", json={"title": {"a": 1}, "participants": []}, headers=headers
    )
    assert answer.status_code == 400 and "title" in answer.get_json()["error"]["message"]
    raw = json.dumps({"text": "控制\u0000字符"})
    answer = client.patch(
        f"/api/v1/provisions/{p}", data=raw, content_type="application/json", headers=headers
    )
    assert answer.status_code == 400 and "text" in answer.get_json()["error"]["message"]
    answer = client.post(
        f"/api/v1/drafts/{world['ids']['draft_id']}/versions",
        json={"name": "稿", "note": "长" * 5000},
        headers=headers,
    )
    assert answer.status_code == 400 and "note" in answer.get_json()["error"]["message"]
    # Nothing was stored by any of them.
    assert client.get(f"/api/v1/provisions/{p}", headers=headers).get_json()["text"] == before
