"""The draft endpoints of /api/v1: create, read, edit with merge or conflict, structure, export."""

import io
import threading
import zipfile

import pytest

from drafting.services import drafts
from tests.helpers import SMALL_REGULATION, bearer, make_draft, make_project, make_user


@pytest.fixture
def setup(session):
    lead = make_user(session, "xz", "320300", "drafter")
    project = make_project(session, lead)
    draft = make_draft(session, lead, project)
    return {"lead": lead, "project": project, "draft": draft, "headers": bearer(session, lead)}


def _articles(body):
    out = []
    for node in body:
        if node["kind"] == "article":
            out.append(node)
        out.extend(_articles(node["children"]) if node["kind"] != "article" else [])
    return out


def test_get_draft_returns_the_tree_with_ids_revisions_and_labels(client, setup):
    body = client.get(f"/api/v1/drafts/{setup['draft'].id}", headers=setup["headers"]).get_json()
    articles = _articles(body["body"])
    assert [a["label"] for a in articles][:2] == ["第一条", "第二条"]
    assert all(isinstance(a["id"], int) and isinstance(a["revision"], int) for a in articles)
    assert articles[1]["children"][0]["kind"] == "clause"


def test_create_draft_from_text_and_from_a_docx_upload(client, session, setup):
    partner = make_user(session, "sq", "321300", "drafter")
    headers = bearer(session, partner)
    pid = setup["project"].id
    created = client.post(
        f"/api/v1/projects/{pid}/drafts",
        json={"jurisdiction": "321300", "text": SMALL_REGULATION.replace("XX市", "宿迁市")},
        headers=headers,
    )
    assert created.status_code == 201
    assert created.get_json()["title"] == "宿迁市红色资源保护条例"
    exported = client.get(
        f"/api/v1/drafts/{setup['draft'].id}/export?format=docx", headers=setup["headers"]
    )
    assert exported.status_code == 200 and exported.data[:2] == b"PK"
    uploaded = client.post(
        f"/api/v1/projects/{pid}/drafts",
        data={"jurisdiction": "321300", "file": (io.BytesIO(exported.data), "草案.docx")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201, uploaded.get_json()
    assert len(_articles(uploaded.get_json()["body"])) == 5


def test_bad_uploads_get_clear_4xx_and_store_nothing(client, session, setup):
    pid = setup["project"].id
    before = len(drafts.get_draft(session, setup["lead"], setup["draft"].id).project.drafts)

    def upload(data, name):
        return client.post(
            f"/api/v1/projects/{pid}/drafts",
            data={"jurisdiction": "320300", "file": (io.BytesIO(data), name)},
            headers=setup["headers"],
            content_type="multipart/form-data",
        )

    renamed = upload(b"just some text, not a zip", "fake.docx")
    assert renamed.status_code == 422 and "fake.docx" in renamed.get_json()["error"]["message"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"0" * (300 * 1024 * 1024))
    bomb = upload(buffer.getvalue(), "bomb.docx")
    assert bomb.status_code == 422
    no_articles = upload("只是一段说明文字。".encode(), "notes.txt")
    assert (
        no_articles.status_code == 422
        and "未找到任何条文" in no_articles.get_json()["error"]["message"]
    )
    session.expire_all()
    after = len(drafts.get_draft(session, setup["lead"], setup["draft"].id).project.drafts)
    assert after == before


def test_an_upload_over_the_limit_is_413(client, setup):
    huge = client.post(
        f"/api/v1/projects/{setup['project'].id}/drafts",
        data={"jurisdiction": "320300", "file": (io.BytesIO(b"x" * (25 * 1024 * 1024)), "a.txt")},
        headers=setup["headers"],
        content_type="multipart/form-data",
    )
    assert huge.status_code == 413
    assert "20 MB" in huge.get_json()["error"]["message"]


def test_patch_merges_or_conflicts(client, setup):
    h = setup["headers"]
    article = _articles(
        client.get(f"/api/v1/drafts/{setup['draft'].id}", headers=h).get_json()["body"]
    )[0]
    url = f"/api/v1/provisions/{article['id']}"
    first = client.patch(
        url,
        json={
            "text": "为了加强红色资源保护和利用，制定本条例。",
            "base_revision": article["revision"],
        },
        headers=h,
    )
    assert first.status_code == 200 and first.get_json()["merged"] is False
    second = client.patch(
        url,
        json={
            "text": "为了切实加强红色资源保护，制定本条例。",
            "base_revision": article["revision"],
        },
        headers=h,
    )
    assert second.status_code == 200
    assert second.get_json() | {"revision": 0} == {
        "revision": 0,
        "merged": True,
        "text": "为了切实加强红色资源保护和利用，制定本条例。",
        "citations": [],
    }
    clash = client.patch(
        url,
        json={"text": "为了保护红色资源，制定本条例。", "base_revision": article["revision"]},
        headers=h,
    )
    assert clash.status_code == 409
    error = clash.get_json()["error"]
    assert error["current"]["text"] == "为了切实加强红色资源保护和利用，制定本条例。"
    assert error["base"]["text"] == "为了加强红色资源保护，制定本条例。"
    assert error["yours"]["text"] == "为了保护红色资源，制定本条例。"


@pytest.mark.parametrize(
    "body, status",
    [
        ({"text": ""}, 400),
        ({"text": "x"}, 400),
        ({"text": "x", "base_revision": "abc"}, 400),
        ({"base_revision": 1}, 400),
    ],
)
def test_patch_rejects_bad_bodies(client, setup, body, status):
    h = setup["headers"]
    article = _articles(
        client.get(f"/api/v1/drafts/{setup['draft'].id}", headers=h).get_json()["body"]
    )[0]
    response = client.patch(f"/api/v1/provisions/{article['id']}", json=body, headers=h)
    assert response.status_code == status
    assert response.get_json()["error"]["message"]


def test_unknown_and_foreign_provisions_are_404(client, session, setup):
    assert client.get("/api/v1/provisions/999999", headers=setup["headers"]).status_code == 404
    outsider = make_user(session, "hb", "340600", "drafter")
    article = _articles(drafts.draft_json(session, setup["draft"])["body"])[0]
    response = client.get(f"/api/v1/provisions/{article['id']}", headers=bearer(session, outsider))
    assert response.status_code == 404


def test_partner_may_read_but_not_edit_the_common_text(client, session, setup):
    partner = make_user(session, "sq", "321300", "drafter")
    h = bearer(session, partner)
    article = _articles(drafts.draft_json(session, setup["draft"])["body"])[0]
    assert client.get(f"/api/v1/provisions/{article['id']}", headers=h).status_code == 200
    response = client.patch(
        f"/api/v1/provisions/{article['id']}",
        json={"text": "改。", "base_revision": article["revision"]},
        headers=h,
    )
    assert response.status_code == 403


def test_insert_move_delete_through_the_api(client, setup):
    h = setup["headers"]
    did = setup["draft"].id
    articles = _articles(client.get(f"/api/v1/drafts/{did}", headers=h).get_json()["body"])
    inserted = client.post(
        f"/api/v1/drafts/{did}/provisions",
        json={"kind": "article", "text": "新增一条。", "after": articles[0]["id"]},
        headers=h,
    )
    assert inserted.status_code == 201 and inserted.get_json()["label"] == "第二条"
    assert [c["new"] for c in inserted.get_json()["citations"]] == ["第四条"]
    moved = client.post(
        f"/api/v1/provisions/{inserted.get_json()['id']}/move",
        json={"after": articles[-1]["id"]},
        headers=h,
    )
    assert moved.status_code == 200 and moved.get_json()["label"] == "第六条"
    deleted = client.delete(f"/api/v1/provisions/{inserted.get_json()['id']}", headers=h)
    assert deleted.status_code == 200
    assert (
        client.get(f"/api/v1/provisions/{inserted.get_json()['id']}", headers=h).get_json()[
            "deleted"
        ]
        is True
    )
    bad = client.post(
        f"/api/v1/drafts/{did}/provisions", json={"kind": "clause", "text": "x"}, headers=h
    )
    assert bad.status_code == 400


def test_compare_in_html_docx_and_json(client, setup):
    h = setup["headers"]
    did = setup["draft"].id
    version = client.post(f"/api/v1/drafts/{did}/versions", json={"name": "征求意见稿"}, headers=h)
    assert version.status_code == 201
    article = _articles(client.get(f"/api/v1/drafts/{did}", headers=h).get_json()["body"])[2]
    client.patch(
        f"/api/v1/provisions/{article['id']}",
        json={
            "text": "市人民政府应当将红色资源保护纳入规划。",
            "base_revision": article["revision"],
        },
        headers=h,
    )
    vid = version.get_json()["id"]
    as_json = client.get(f"/api/v1/drafts/{did}/compare?against=v{vid}", headers=h).get_json()
    assert [r["status"] for r in as_json["rows"] if r["status"] != "unchanged"] == ["modified"]
    html = client.get(f"/api/v1/drafts/{did}/compare?against=v{vid}&format=html", headers=h)
    assert "<del>" in html.get_data(as_text=True) and "修改对照表" in html.get_data(as_text=True)
    docx = client.get(f"/api/v1/drafts/{did}/compare?against={vid}&format=docx", headers=h)
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    assert client.get(f"/api/v1/drafts/{did}/compare?against=v99999", headers=h).status_code == 404


def test_threads_editing_one_article_never_lose_an_accepted_edit(app, client, session, setup):
    """Eight writers edit the same article at once; every 200 is in the history, in order."""
    h = setup["headers"]
    article = _articles(
        client.get(f"/api/v1/drafts/{setup['draft'].id}", headers=h).get_json()["body"]
    )[1]
    base_text, base_rev = article["text"], article["revision"]
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        local = app.test_client()
        # Each writer appends its own sentence at the end, from the same base revision.
        text = base_text + f"第{n}号补充。"
        for _attempt in range(3):
            r = local.patch(
                f"/api/v1/provisions/{article['id']}",
                json={"text": text, "base_revision": base_rev},
                headers=h,
            )
            with lock:
                results.append((r.status_code, r.get_json()))
            if r.status_code != 409:
                break
            current = r.get_json()["error"]["current"]
            text, rev = current["text"] + f"第{n}号补充。", current["revision"]
            base_local = rev
            r = local.patch(
                f"/api/v1/provisions/{article['id']}",
                json={"text": text, "base_revision": base_local},
                headers=h,
            )
            with lock:
                results.append((r.status_code, r.get_json()))
            if r.status_code == 200:
                break

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    accepted = [body for status, body in results if status == 200]
    assert {status for status, _ in results} <= {200, 409}
    history = client.get(f"/api/v1/provisions/{article['id']}/history", headers=h).get_json()
    revision_ids = [r["id"] for r in history["revisions"]]
    assert all(body["revision"] in revision_ids for body in accepted)
    final = history["revisions"][-1]["text"]
    # Every writer whose edit was accepted has its sentence in the final text.
    for body in accepted:
        for n in range(8):
            if f"第{n}号补充。" in body["text"]:
                assert f"第{n}号补充。" in final


@pytest.mark.parametrize("body", [{"after": "abc"}, {"parent": "x"}, {"after": 999999}, {}])
def test_move_rejects_bad_targets_with_400(client, setup, body):
    h = setup["headers"]
    article = _articles(
        client.get(f"/api/v1/drafts/{setup['draft'].id}", headers=h).get_json()["body"]
    )[0]
    response = client.post(f"/api/v1/provisions/{article['id']}/move", json=body, headers=h)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["error"]["message"]
