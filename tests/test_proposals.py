"""Proposals and opinions: recording, the chain, links that survive edits, and who sees what."""

from __future__ import annotations

from tests.helpers import bearer, make_draft, make_project, make_user

API = "/api/v1"


def _setup(session):
    lead = make_user(session, "xz", "320300")
    project = make_project(session, lead, participants=("321300",))
    common = make_draft(session, lead, project)
    return lead, project, common


def _article(client, headers, draft_id, label):
    body = client.get(f"{API}/drafts/{draft_id}", headers=headers).get_json()["body"]
    stack = list(body)
    while stack:
        node = stack.pop()
        if node["kind"] == "article" and node["label"] == label:
            return node
        stack.extend(node["children"])
    raise AssertionError(f"no {label}")


def _record(client, headers, **fields):
    body = {"kind": "suggestion", "title": "关于加强红色资源规划的建议", "text": "纳入规划"}
    body.update(fields)
    return client.post(f"{API}/proposals", json=body, headers=headers)


def test_a_link_survives_an_article_inserted_before_its_clause(client, session):
    lead, project, common = _setup(session)
    h = bearer(session, lead)
    art3 = _article(client, h, common.id, "第三条")
    proposal = _record(client, h, number="第0123号", project=project.id).get_json()
    made = client.post(
        f"{API}/proposals/{proposal['id']}/links",
        json={"provision": art3["id"], "note": "规划要求写入第三条"},
        headers=h,
    )
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["label"] == "第三条"

    # Insert a new article at the start of chapter 2, right before 第三条.
    art2 = _article(client, h, common.id, "第二条")
    inserted = client.post(
        f"{API}/drafts/{common.id}/provisions",
        json={
            "kind": "article",
            "text": "红色资源保护坚持保护为主、抢救第一。",
            "after": art2["id"],
        },
        headers=h,
    )
    assert inserted.status_code == 201, inserted.get_json()

    links = client.get(f"{API}/proposals/{proposal['id']}", headers=h).get_json()["links"]
    assert len(links) == 1
    assert links[0]["provision"] == art3["id"]
    assert links[0]["label"] == "第四条"
    assert links[0]["label_at_link"] == "第三条"
    assert links[0]["deleted"] is False
    assert "国民经济和社会发展规划" in links[0]["text"]

    # The provision API lists the proposal too.
    prov = client.get(f"{API}/provisions/{art3['id']}", headers=h).get_json()
    assert [p["id"] for p in prov["proposals"]] == [proposal["id"]]


def test_a_link_shows_what_changed_and_a_deleted_clause_says_so(client, session):
    lead, project, common = _setup(session)
    h = bearer(session, lead)
    art3 = _article(client, h, common.id, "第三条")
    art4 = _article(client, h, common.id, "第四条")
    pid = _record(client, h, project=project.id).get_json()["id"]
    for art in (art3, art4):
        assert (
            client.post(
                f"{API}/proposals/{pid}/links", json={"provision": art["id"]}, headers=h
            ).status_code
            == 201
        )
    edited = client.patch(
        f"{API}/provisions/{art3['id']}",
        json={
            "text": "市人民政府应当将红色资源保护纳入规划和年度计划。",
            "base_revision": art3["revision"],
        },
        headers=h,
    )
    assert edited.status_code == 200
    assert client.delete(f"{API}/provisions/{art4['id']}", headers=h).status_code == 200

    links = {
        x["provision"]: x
        for x in client.get(f"{API}/proposals/{pid}", headers=h).get_json()["links"]
    }
    assert links[art3["id"]]["changed"] is True
    assert links[art3["id"]]["text"] == "市人民政府应当将红色资源保护纳入规划和年度计划。"
    assert links[art4["id"]]["deleted"] is True
    assert links[art4["id"]]["label"] == "第四条"

    client.post("/login", data={})  # no session: pages need a login
    from tests.helpers import login

    login(client, "xz")
    page = client.get(f"/proposals/{pid}").get_data(as_text=True)
    assert "该条款已被删除" in page
    assert "关联后已修改" in page
    assert "<ins>" in page and "<del>" in page


def test_the_chain_runs_from_opinion_to_suggestion_to_motion(client, session):
    lead, project, _common = _setup(session)
    h = bearer(session, lead)
    motion = _record(client, h, kind="motion", number="第0005号", title="议案").get_json()
    suggestion = _record(client, h, number="第0123号", fed_into=motion["id"]).get_json()
    opinion = _record(
        client, h, kind="opinion", title="群众意见", fed_into=suggestion["id"], channel="扫码"
    ).get_json()
    assert opinion["fed_into"] == suggestion["id"]
    read = client.get(f"{API}/proposals/{motion['id']}", headers=h).get_json()
    assert read["fed_by"] == [suggestion["id"]]
    # A motion feeds nothing; a suggestion does not feed an opinion.
    bad = _record(client, h, kind="motion", title="另一议案", fed_into=suggestion["id"])
    assert bad.status_code == 400
    assert "fed_into" in bad.get_json()["error"]["message"]
    from tests.helpers import login

    login(client, "xz")
    page = client.get(f"/proposals/{motion['id']}").get_data(as_text=True)
    assert "群众意见" in page and "第0123号" in page


def test_numbers_are_unique_per_jurisdiction_kind_and_session(client, session):
    lead, _project, _common = _setup(session)
    h = bearer(session, lead)
    assert (
        _record(client, h, number="第0001号", session="第十七届人大第三次会议").status_code == 201
    )
    again = _record(client, h, number="第0001号", session="第十七届人大第三次会议")
    assert again.status_code == 409
    assert (
        _record(client, h, number="第0001号", session="第十七届人大第四次会议").status_code == 201
    )
    assert (
        _record(
            client, h, number="第0001号", kind="motion", session="第十七届人大第三次会议"
        ).status_code
        == 201
    )


def test_bad_fields_are_named(client, session):
    lead, _project, _common = _setup(session)
    h = bearer(session, lead)
    bad = client.post(f"{API}/proposals", json={"kind": "wish", "deadline": "明天"}, headers=h)
    assert bad.status_code == 400
    error = bad.get_json()["error"]
    assert set(error["fields"]) == {"kind", "title", "deadline"}
    assert (
        client.post(
            f"{API}/proposals", data="[]", headers={**h, "Content-Type": "application/json"}
        ).status_code
        == 400
    )
    pid = _record(client, h).get_json()["id"]
    assert client.post(f"{API}/proposals/{pid}/links", json={}, headers=h).status_code == 400
    assert (
        client.post(f"{API}/proposals/{pid}/links", json={"provision": "x"}, headers=h).status_code
        == 400
    )
    assert (
        client.post(
            f"{API}/proposals/{pid}/links", json={"provision": 999999}, headers=h
        ).status_code
        == 404
    )
