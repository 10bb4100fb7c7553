"""Pasted or uploaded texts with more paragraphs than a draft holds: a quick 413, nothing stored."""

from __future__ import annotations

import io

from drafting.models import Draft
from drafting.web import responses
from tests.helpers import bearer, make_project, make_user


def _lines(n: int) -> str:
    return "XX市条例\n第一条　总则。\n" + "".join(f"第{i}段内容。\n" for i in range(n))


def test_a_paste_of_a_hundred_thousand_lines_is_413_and_nothing_is_stored(client, session):
    user = make_user(session, "lin")
    project = make_project(session, user)
    answer = client.post(
        f"/api/v1/projects/{project.id}/drafts",
        json={"text": _lines(100_000), "common": True},
        headers=bearer(session, user),
    )
    assert answer.status_code == 413
    assert "10000 段" in answer.get_json()["error"]["message"]
    session.rollback()
    assert session.query(Draft).count() == 0


def test_an_uploaded_file_over_the_paragraph_limit_is_413(client, session, monkeypatch):
    monkeypatch.setattr(responses, "MAX_PARAGRAPHS", 50)
    user = make_user(session, "lin")
    project = make_project(session, user)
    answer = client.post(
        f"/api/v1/projects/{project.id}/drafts",
        data={"common": "true", "file": (io.BytesIO(_lines(60).encode()), "条例.md")},
        headers=bearer(session, user),
        content_type="multipart/form-data",
    )
    assert answer.status_code == 413
    assert "50 段" in answer.get_json()["error"]["message"]


def test_a_paste_at_the_limit_is_parsed_into_numbered_clauses(client, session, monkeypatch):
    monkeypatch.setattr(responses, "MAX_PARAGRAPHS", 400)
    user = make_user(session, "lin")
    project = make_project(session, user)
    answer = client.post(
        f"/api/v1/projects/{project.id}/drafts",
        json={"text": _lines(398), "common": True},
        headers=bearer(session, user),
    )
    assert answer.status_code == 201, answer.get_json()
    clauses = answer.get_json()["body"][0]["children"]
    assert [c["num"] for c in clauses[:3]] == [2, 3, 4] and clauses[-1]["num"] == 399
