"""Stated limits: articles per draft, characters per paragraph, control characters in files."""

import io

from drafting.services import structure
from drafting.web import responses
from tests.helpers import bearer, make_draft, make_project, make_user


def _regulation(n: int, text: str = "内容。") -> str:
    from drafting.core.numbering import to_chinese

    return "XX市条例\n\n" + "\n\n".join(f"第{to_chinese(i)}条　{text}" for i in range(1, n + 2))


def test_a_draft_over_the_article_limit_is_refused_and_nothing_stored(client, session, monkeypatch):
    monkeypatch.setattr(responses, "MAX_ARTICLES", 20)
    user = make_user(session, "lin")
    project = make_project(session, user)
    headers = bearer(session, user)
    answer = client.post(
        f"/api/v1/projects/{project.id}/drafts",
        json={"text": _regulation(20), "common": True},
        headers=headers,
    )
    assert answer.status_code == 422
    assert "21 条" in answer.get_json()["error"]["message"]
    from drafting.models import Draft

    assert session.query(Draft).count() == 0


def test_a_paragraph_over_the_length_limit_is_refused(client, session):
    user = make_user(session, "lin")
    project = make_project(session, user)
    answer = client.post(
        f"/api/v1/projects/{project.id}/drafts",
        json={"text": _regulation(2, "长" * (responses.MAX_TEXT + 1)), "common": True},
        headers=bearer(session, user),
    )
    assert answer.status_code == 422
    assert "条 过长" in answer.get_json()["error"]["message"]


def test_inserting_beyond_the_limit_is_refused(client, session, monkeypatch):
    user = make_user(session, "lin")
    draft = make_draft(session, user, make_project(session, user))
    monkeypatch.setattr(structure, "MAX_ARTICLES", 5)
    answer = client.post(
        f"/api/v1/drafts/{draft.id}/provisions",
        json={"kind": "article", "text": "第六条。"},
        headers=bearer(session, user),
    )
    assert answer.status_code == 400 and "5" in answer.get_json()["error"]["message"]


def test_control_characters_in_an_uploaded_file_are_dropped_and_export_works(client, session):
    user = make_user(session, "lin")
    project = make_project(session, user)
    headers = bearer(session, user)
    text = "XX市条例\n\n第一条　甲\x0b乙\x07丙\x1b[31m丁。\n\n第二条　戊。\n"
    answer = client.post(
        f"/api/v1/projects/{project.id}/drafts",
        data={"common": "true", "file": (io.BytesIO(text.encode()), "条例.md")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201, answer.get_json()
    draft = answer.get_json()
    first = draft["body"][0]
    assert "\x07" not in str(draft) and "\x1b" not in str(draft)
    assert first["text"].startswith("甲")
    for fmt in ("docx", "md"):
        assert (
            client.get(
                f"/api/v1/drafts/{draft['id']}/export?format={fmt}", headers=headers
            ).status_code
            == 200
        )


def test_a_long_draft_is_shown_a_part_at_a_time(client, session, auth, monkeypatch):
    from drafting.services.drafts import load_tree
    from drafting.web import draft_parts

    monkeypatch.setattr(draft_parts, "PART_ARTICLES", 2)
    user = make_user(session, "lin")
    draft = make_draft(session, user, make_project(session, user))
    auth.login("lin")
    first = client.get(f"/drafts/{draft.id}").get_data(as_text=True)
    assert "第一条" in first and "第三条　市人民政府" not in first
    assert "第 2 部分" in first
    second = client.get(f"/drafts/{draft.id}?part=2").get_data(as_text=True)
    assert "第三条" in second and "第一条　为了" not in second
    last = load_tree(session, draft).articles()[-1]
    assert "第五条" in client.get(f"/drafts/{draft.id}?edited={last.id}").get_data(as_text=True)
    assert client.get(f"/drafts/{draft.id}?part=99").status_code == 200
