"""Who sees proposals, a citizen's contact, and who may link: each check fails when removed."""

from __future__ import annotations

import re

import pytest

from tests.helpers import bearer, login, make_draft, make_project, make_user

API = "/api/v1"
CONTACT = "手机 138-0000-1234"


@pytest.fixture
def world(session):
    xz = make_user(session, "xz", "320300")
    project = make_project(session, xz, participants=("321300",))
    common = make_draft(session, xz, project)
    sq = make_user(session, "sq", "321300")
    sq_admin = make_user(session, "sqadmin", "321300", role="admin")
    xz_commenter = make_user(session, "xzc", "320300", role="commenter")
    outsider = make_user(session, "shq", "411400")
    other = make_project(session, outsider, participants=("341300",), title="黄河故道")
    other_draft = make_draft(session, outsider, other)
    return {
        "xz": xz,
        "sq": sq,
        "sq_admin": sq_admin,
        "xzc": xz_commenter,
        "outsider": outsider,
        "project": project,
        "common": common,
        "other_draft": other_draft,
    }


def _provision_id(session, draft, label="第三条"):
    from drafting.services.drafts import load_tree

    return next(n.id for n in load_tree(session, draft).articles() if n.label == label)


def _opinion(client, headers, project=None, **more):
    body = {
        "kind": "opinion",
        "title": "关于规划的意见",
        "text": "纳入国民经济和社会发展规划",
        "contact": CONTACT,
        "channel": "扫码",
    }
    if project is not None:
        body["project"] = project
    body.update(more)
    made = client.post(f"{API}/proposals", json=body, headers=headers)
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def test_a_citizens_contact_stays_with_the_recording_jurisdiction(client, session, world):
    pid = _opinion(client, bearer(session, world["xz"]), world["project"].id)["id"]
    own = client.get(f"{API}/proposals/{pid}", headers=bearer(session, world["xz"])).get_json()
    assert own["contact"] == CONTACT
    for who in ("sq", "sq_admin"):
        seen = client.get(f"{API}/proposals/{pid}", headers=bearer(session, world[who]))
        assert seen.status_code == 200
        assert "contact" not in seen.get_json()
        assert CONTACT not in seen.get_data(as_text=True)
        listed = client.get(f"{API}/proposals", headers=bearer(session, world[who]))
        assert CONTACT not in listed.get_data(as_text=True)


def test_contact_is_left_out_of_pages_and_exports_of_other_jurisdictions(client, session, world):
    pid = _opinion(client, bearer(session, world["xz"]), world["project"].id)["id"]
    project_id = world["project"].id
    urls = [
        f"/proposals/{pid}",
        f"/projects/{project_id}/traceability",
        f"/projects/{project_id}/traceability?format=csv",
    ]
    login(client, "xz")
    for url in urls:
        assert CONTACT in client.get(url).get_data(as_text=True), url
    assert CONTACT.encode() in _docx_text(client.get(f"{urls[1]}?format=docx"))
    client.post("/logout", data={"csrf_token": _csrf(client)})
    login(client, "sq")
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        assert CONTACT not in page.get_data(as_text=True), url
    docx = client.get(f"/projects/{project_id}/traceability?format=docx")
    assert CONTACT.encode() not in _docx_text(docx)


def _csrf(client):
    import re

    page = client.get("/proposals").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _docx_text(response) -> bytes:
    import io

    from docx import Document

    doc = Document(io.BytesIO(response.data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells).encode()


def test_a_proposal_is_hidden_from_those_outside_its_jurisdiction_and_project(
    client, session, world
):
    linked = _opinion(client, bearer(session, world["xz"]), world["project"].id)["id"]
    loose = _opinion(client, bearer(session, world["xz"]), title="未指定项目")["id"]
    outsider = bearer(session, world["outsider"])
    assert client.get(f"{API}/proposals/{linked}", headers=outsider).status_code == 404
    assert client.get(f"{API}/proposals/{loose}", headers=outsider).status_code == 404
    # A participant of the project sees its proposals, not another city's loose ones.
    sq = bearer(session, world["sq"])
    assert client.get(f"{API}/proposals/{linked}", headers=sq).status_code == 200
    assert client.get(f"{API}/proposals/{loose}", headers=sq).status_code == 404
    listed = client.get(f"{API}/proposals", headers=outsider).get_json()["proposals"]
    assert listed == []
    login(client, "shq")
    assert client.get(f"/proposals/{linked}").status_code == 404
    assert client.get(f"/projects/{world['project'].id}/traceability").status_code == 404


def test_a_link_to_a_provision_of_an_unseen_project_is_not_found(client, session, world):
    h = bearer(session, world["xz"])
    pid = _opinion(client, h)["id"]
    hidden = _provision_id(session, world["other_draft"])
    refused = client.post(f"{API}/proposals/{pid}/links", json={"provision": hidden}, headers=h)
    assert refused.status_code == 404
    assert refused.get_json()["error"]["code"] == "not_found"


def test_only_drafters_of_the_cities_concerned_may_link(client, session, world):
    pid = _opinion(client, bearer(session, world["xz"]), world["project"].id)["id"]
    target = _provision_id(session, world["common"])
    # 宿迁 sees the project but neither recorded the opinion, owns the draft, nor leads.
    sq = client.post(
        f"{API}/proposals/{pid}/links",
        json={"provision": target},
        headers=bearer(session, world["sq"]),
    )
    assert sq.status_code == 403
    commenter = client.post(
        f"{API}/proposals/{pid}/links",
        json={"provision": target},
        headers=bearer(session, world["xzc"]),
    )
    assert commenter.status_code == 403
    ok = client.post(
        f"{API}/proposals/{pid}/links",
        json={"provision": target},
        headers=bearer(session, world["xz"]),
    )
    assert ok.status_code == 201


def test_staff_record_only_for_their_own_jurisdiction(client, session, world):
    refused = client.post(
        f"{API}/proposals",
        json={"kind": "suggestion", "title": "代别的城市登记", "jurisdiction": "321300"},
        headers=bearer(session, world["xz"]),
    )
    assert refused.status_code == 403
    hidden_project = client.post(
        f"{API}/proposals",
        json={
            "kind": "suggestion",
            "title": "看不见的项目",
            "project": world["other_draft"].project_id,
        },
        headers=bearer(session, world["xz"]),
    )
    assert hidden_project.status_code == 404


def test_only_the_recording_jurisdiction_answers(client, session, world):
    pid = _opinion(client, bearer(session, world["xz"]), world["project"].id)["id"]
    login(client, "sq")
    page = client.get(f"/proposals/{pid}").get_data(as_text=True)
    assert "办理和答复" not in page
    refused = client.post(
        f"/proposals/{pid}/answer",
        data={"csrf_token": _csrf(client), "status": "replied", "reply": "已办"},
    )
    assert refused.status_code == 403
    client.post("/logout", data={"csrf_token": _csrf(client)})
    login(client, "xz")
    done = client.post(
        f"/proposals/{pid}/answer",
        data={"csrf_token": _csrf(client), "status": "replied", "reply": "已办", "deadline": ""},
    )
    assert done.status_code == 302
    assert "已办" in client.get(f"/proposals/{pid}").get_data(as_text=True)


def test_a_city_links_another_citys_proposal_to_its_own_draft_only(client, session, world):
    pid = _opinion(client, bearer(session, world["xz"]), world["project"].id)["id"]
    sq_draft = make_draft(session, world["sq"], world["project"], jurisdiction="321300")
    login(client, "sq")
    page = client.get(f"/proposals/{pid}").get_data(as_text=True)
    choices = re.search(r'<select id="draft".*?</select>', page, re.S).group(0)
    assert f'value="{sq_draft.id}"' in choices
    assert f'value="{world["common"].id}"' not in choices
    mine = _provision_id(session, sq_draft)
    done = client.post(
        f"/proposals/{pid}/links", data={"csrf_token": _csrf(client), "provision": mine}
    )
    assert done.status_code == 302
    theirs = _provision_id(session, world["common"])
    refused = client.post(
        f"/proposals/{pid}/links", data={"csrf_token": _csrf(client), "provision": theirs}
    )
    assert refused.status_code == 403
