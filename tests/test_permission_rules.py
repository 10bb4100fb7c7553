"""The decided rules: an admin acts as a drafter of their own jurisdiction, advisers comment when
invited like anyone else, and a resident's contact reaches only the recording jurisdiction's
drafters and admins, on every surface."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import func, select

from comments.consultation.models import Disposition
from tests.consultation.helpers import comment, consultation
from tests.helpers import bearer, login, make_user
from tests.intake_helpers import make_station, submit

API = "/api/v1"
CONTACT = "手机 138-0000-1234"


@pytest.fixture
def c(session):
    c = consultation(session)
    extra = {
        "lead_admin": make_user(session, "xz_admin", "320300", "admin"),
        "partner_admin": make_user(session, "sq_admin", "321300", "admin"),
        "invited_adviser": make_user(session, "sq_adviser", "321300", "adviser"),
        "uninvited_adviser": make_user(session, "ly_adviser", "371300", "adviser"),
        "lead_adviser": make_user(session, "xz_adviser", "320300", "adviser"),
    }
    c["users"].update(extra)
    c["headers"].update({k: bearer(session, u) for k, u in extra.items()})
    return c


def _edit(client, c, who):
    article = c["articles"]["第三条"]
    body = {"text": "改写的第三条。", "base_revision": article.revision}
    return client.patch(f"{API}/provisions/{article.id}", json=body, headers=c["headers"][who])


def _decide(client, c, cid, who):
    return client.post(
        f"{API}/comments/{cid}/disposition",
        json={"decision": "not_adopted", "reason": "上位法已有规定。"},
        headers=c["headers"][who],
    )


def _decisions(session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(Disposition))


def test_an_admin_of_a_partner_city_neither_edits_nor_decides_the_common_text(client, session, c):
    cid = comment(client, c).get_json()["id"]
    assert _edit(client, c, "partner_admin").status_code == 403
    assert _decide(client, c, cid, "partner_admin").status_code == 403
    assert _decisions(session) == 0


def test_the_lead_admin_edits_decides_and_opens_rounds_as_its_drafters_do(client, session, c):
    cid = comment(client, c).get_json()["id"]
    assert _edit(client, c, "lead_admin").status_code == 200
    assert _decide(client, c, cid, "lead_admin").status_code == 200
    opened = client.post(
        f"{API}/drafts/{c['draft'].id}/rounds",
        json={
            "title": "第二轮",
            "opens": "2026-01-01",
            "closes": "2026-02-01",
            "invited": ["321300"],
        },
        headers=c["headers"]["lead_admin"],
    )
    assert opened.status_code == 201


def test_a_partner_admin_opens_no_round_on_the_common_text(client, c):
    refused = client.post(
        f"{API}/drafts/{c['draft'].id}/rounds",
        json={
            "title": "第二轮",
            "opens": "2026-01-01",
            "closes": "2026-02-01",
            "invited": ["321300"],
        },
        headers=c["headers"]["partner_admin"],
    )
    assert refused.status_code == 403


def test_advisers_comment_when_their_city_is_invited_like_anyone_else(client, c):
    assert comment(client, c, who="invited_adviser").status_code == 201
    refused = comment(client, c, who="uninvited_adviser")
    assert refused.status_code == 403
    assert "未邀请" in refused.get_json()["error"]["message"]


def test_an_admin_records_and_links_proposals_only_for_their_own_jurisdiction(client, c):
    elsewhere = client.post(
        f"{API}/proposals",
        json={"kind": "suggestion", "title": "代徐州登记", "jurisdiction": "320300"},
        headers=c["headers"]["partner_admin"],
    )
    assert elsewhere.status_code == 403
    own = client.post(
        f"{API}/proposals",
        json={"kind": "suggestion", "title": "本市的建议", "project": c["project"].id},
        headers=c["headers"]["partner_admin"],
    )
    assert own.status_code == 201
    target = c["articles"]["第三条"].id
    xz_made = _opinion(client, c)
    # 宿迁's admin neither recorded the opinion, keeps the common text, nor leads: like its drafter.
    link = client.post(
        f"{API}/proposals/{xz_made}/links",
        json={"provision": target},
        headers=c["headers"]["partner_admin"],
    )
    assert link.status_code == 403


# ---------------------------------------------------------------- residents' contact details


def _opinion(client, c) -> int:
    made = client.post(
        f"{API}/proposals",
        json={
            "kind": "opinion",
            "title": "关于规划的意见",
            "text": "纳入国民经济和社会发展规划",
            "contact": CONTACT,
            "channel": "扫码",
            "project": c["project"].id,
        },
        headers=c["headers"]["lead"],
    )
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


@pytest.mark.parametrize("who", ["lead_commenter", "lead_adviser"])
def test_the_recording_citys_commenters_and_advisers_get_no_contact_from_the_api(client, c, who):
    pid = _opinion(client, c)
    listed = client.get(f"{API}/proposals?kind=opinion", headers=c["headers"][who])
    assert listed.status_code == 200 and listed.get_json()["proposals"]
    assert all("contact" not in p for p in listed.get_json()["proposals"])
    assert "138-0000-1234" not in listed.get_data(as_text=True)
    one = client.get(f"{API}/proposals/{pid}", headers=c["headers"][who])
    assert one.status_code == 200 and "contact" not in one.get_json()


@pytest.mark.parametrize("who", ["lead", "lead_admin"])
def test_the_recording_citys_drafters_and_admins_get_the_contact(client, c, who):
    pid = _opinion(client, c)
    listed = client.get(f"{API}/proposals?kind=opinion", headers=c["headers"][who])
    assert [p["contact"] for p in listed.get_json()["proposals"]] == [CONTACT]
    assert (
        client.get(f"{API}/proposals/{pid}", headers=c["headers"][who]).get_json()["contact"]
        == CONTACT
    )


def _docx_text(response) -> str:
    doc = Document(io.BytesIO(response.data))
    cells = [cell.text for t in doc.tables for r in t.rows for cell in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_recording_citys_commenter_sees_no_contact_on_pages_or_exports(client, c):
    pid = _opinion(client, c)
    project = c["project"].id
    trace = f"/projects/{project}/traceability"
    login(client, "xz_commenter")
    for url in (f"/proposals/{pid}", "/proposals", trace, f"{trace}?format=csv"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert CONTACT not in page.get_data(as_text=True), url
    assert CONTACT not in _docx_text(client.get(f"{trace}?format=docx"))


def test_the_recording_citys_drafter_sees_the_contact_on_pages_and_exports(client, c):
    pid = _opinion(client, c)
    trace = f"/projects/{c['project'].id}/traceability"
    login(client, "xz_drafter")
    for url in (f"/proposals/{pid}", trace, f"{trace}?format=csv"):
        assert CONTACT in client.get(url).get_data(as_text=True), url
    assert CONTACT in _docx_text(client.get(f"{trace}?format=docx"))


def test_a_public_form_contact_follows_the_same_rule(app, client, session):
    station = make_station(session)
    submit(client, app, station.code, contact="13800000000")
    commenter = make_user(session, "klmy_commenter", "650200", "commenter")
    admin = make_user(session, "klmy_admin", "650200", "admin")
    seen = client.get(f"{API}/opinions?jurisdiction=650200", headers=bearer(session, admin))
    assert seen.get_json()["opinions"][0]["contact"] == "13800000000"
    hidden = client.get(f"{API}/opinions?jurisdiction=650200", headers=bearer(session, commenter))
    assert hidden.status_code == 200 and hidden.get_json()["opinions"]
    assert "contact" not in hidden.get_json()["opinions"][0]
