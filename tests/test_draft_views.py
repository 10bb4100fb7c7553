"""Draft pages: create from a form, read, edit in place with conflicts, history, import."""

import io

from concord.db import unit_of_work
from drafting.services import drafts, editing
from tests.helpers import SMALL_REGULATION, csrf_of, make_draft, make_project, make_user


def _setup(session):
    lead = make_user(session, "xz", "320300", "drafter")
    project = make_project(session, lead)
    return lead, project


def test_creating_a_draft_from_pasted_text_reports_numbering_gaps(client, session, auth):
    lead, project = _setup(session)
    auth.login("xz")
    token = csrf_of(client, f"/projects/{project.id}/drafts/new")
    text = SMALL_REGULATION.replace("第四条", "第六条")
    response = client.post(
        f"/projects/{project.id}/drafts/new",
        data={
            "csrf_token": token,
            "source": "text",
            "text": text,
            "jurisdiction": "320300",
            "common": "1",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "已创建文本" in page
    assert "第 " in page and "第四条" in page  # the warning names the line and the gap


def test_a_broken_upload_is_refused_with_its_name_and_nothing_is_stored(client, session, auth):
    lead, project = _setup(session)
    auth.login("xz")
    token = csrf_of(client, f"/projects/{project.id}/drafts/new")
    response = client.post(
        f"/projects/{project.id}/drafts/new",
        data={
            "csrf_token": token,
            "source": "file",
            "jurisdiction": "320300",
            "file": (io.BytesIO(b"PK\x03\x04 broken"), "草案.docx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "草案.docx" in response.get_data(as_text=True)
    session.expire_all()
    assert not session.get(type(project), project.id).drafts


def test_draft_page_lists_every_article_with_toc(client, session, auth):
    lead, project = _setup(session)
    draft = make_draft(session, lead, project)
    auth.login("xz")
    page = client.get(f"/drafts/{draft.id}").get_data(as_text=True)
    assert page.count('class="provision"') == 5
    assert 'class="toc"' in page and "第二章" in page


def test_edit_form_saves_and_shows_the_diff(client, session, auth):
    lead, project = _setup(session)
    draft = make_draft(session, lead, project)
    auth.login("xz")
    first = drafts.load_tree(session, draft).articles()[0]
    url = f"/drafts/{draft.id}/provisions/{first.id}/edit"
    token = csrf_of(client, url)
    response = client.post(
        url,
        data={
            "csrf_token": token,
            f"text-{first.id}": "为了加强和改进红色资源保护，制定本条例。",
            f"base-{first.id}": first.revision,
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "刚刚保存" in page and "<ins>和改进</ins>" in page


def test_edit_form_shows_base_theirs_and_yours_on_conflict(client, session, auth):
    lead, project = _setup(session)
    draft = make_draft(session, lead, project)
    auth.login("xz")
    first = drafts.load_tree(session, draft).articles()[0]
    with unit_of_work(session):
        editing.apply_edit(
            session,
            lead,
            first.id,
            text="为了保护红色资源，制定本条例。",
            base_revision=first.revision,
        )
    url = f"/drafts/{draft.id}/provisions/{first.id}/edit"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_of(client, url),
            f"text-{first.id}": "为了弘扬红色资源，制定本条例。",
            f"base-{first.id}": first.revision,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "修改冲突" in page and "为了保护红色资源" in page and "为了弘扬红色资源" in page


def test_an_article_form_with_one_conflicting_paragraph_saves_none_of_them(client, session, auth):
    lead, project = _setup(session)
    draft = make_draft(session, lead, project)
    auth.login("xz")
    second = drafts.load_tree(session, draft).articles()[1]  # 第二条: an article with 2 款
    clause = second.children[0]
    with unit_of_work(session):
        editing.apply_edit(
            session,
            lead,
            clause.id,
            text="前款所称红色资源，包括下列资源：",
            base_revision=clause.revision,
        )
    url = f"/drafts/{draft.id}/provisions/{second.id}/edit"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_of(client, url),
            f"text-{second.id}": "本条例适用于本市行政区域内红色资源的保护和利用。",
            f"base-{second.id}": second.revision,
            f"text-{clause.id}": "前款所称红色资源，是指下列资源：",
            f"base-{clause.id}": clause.revision,
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "修改冲突" in page
    # The article's own paragraph, which did not clash, is not saved either…
    session.expire_all()
    after = drafts.load_tree(session, draft).nodes[second.id]
    assert after.text == second.text and after.revision == second.revision
    # …but the user's wording of it is still in its box, to submit again.
    assert "本市行政区域内红色资源的保护和利用" in page
    history = editing.history(session, session.get(editing.Provision, second.id))
    assert [r.action for r in history] == ["create"]


def test_partner_cannot_open_the_edit_form_of_the_common_text(client, session, auth):
    lead, project = _setup(session)
    draft = make_draft(session, lead, project)
    make_user(session, "sq", "321300", "drafter")
    auth.login("sq")
    first = drafts.load_tree(session, draft).articles()[0]
    assert client.get(f"/drafts/{draft.id}").status_code == 200
    assert client.get(f"/drafts/{draft.id}/provisions/{first.id}/edit").status_code == 403


def test_importing_a_revised_file_keeps_identities_and_records_revisions(client, session, auth):
    lead, project = _setup(session)
    draft = make_draft(session, lead, project)
    auth.login("xz")
    before = {a.label: a.id for a in drafts.load_tree(session, draft).articles()}
    revised = SMALL_REGULATION.replace("第三条　市人民政府", "第三条　市、县（区）人民政府")
    response = client.post(
        f"/drafts/{draft.id}/import",
        data={
            "csrf_token": csrf_of(client, f"/drafts/{draft.id}"),
            "file": (io.BytesIO(revised.encode()), "第二稿.md"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "修改 1 处" in response.get_data(as_text=True)
    session.rollback()
    tree = drafts.load_tree(session, draft)
    assert {a.label: a.id for a in tree.articles()} == before
    assert tree.articles()[2].text.startswith("市、县（区）人民政府")


def test_history_page_lists_revisions_with_diffs_and_restores(client, session, auth):
    lead, project = _setup(session)
    draft = make_draft(session, lead, project)
    auth.login("xz")
    first = drafts.load_tree(session, draft).articles()[0]
    with unit_of_work(session):
        editing.apply_edit(
            session, lead, first.id, text="改写后的第一条。", base_revision=first.revision
        )
    url = f"/drafts/{draft.id}/provisions/{first.id}/history"
    page = client.get(url).get_data(as_text=True)
    assert "<del>" in page and "<ins>" in page and "恢复此修订" in page
    client.post(
        f"/drafts/{draft.id}/provisions/{first.id}/restore",
        data={"csrf_token": csrf_of(client, url), "revision": first.revision},
    )
    assert (
        drafts.load_tree(session, draft).articles()[0].text == "为了加强红色资源保护，制定本条例。"
    )


def test_the_draft_page_appends_an_article_and_a_chapter(client, session, auth):
    lead, project = _setup(session)
    draft = make_draft(session, lead, project)
    auth.login("xz")
    last = drafts.load_tree(session, draft).articles()[-1]
    token = csrf_of(client, f"/drafts/{draft.id}")
    client.post(
        f"/drafts/{draft.id}/structure",
        data={
            "csrf_token": token,
            "action": "insert",
            "kind": "article",
            "after_article": last.id,
            "text": "本条例由市人民代表大会常务委员会负责解释。",
        },
    )
    client.post(
        f"/drafts/{draft.id}/structure",
        data={
            "csrf_token": token,
            "action": "insert",
            "kind": "chapter",
            "after_article": last.id,
            "text": "附则",
        },
    )
    session.rollback()  # end the test's read transaction to see the app's commits
    tree = drafts.load_tree(session, draft)
    assert tree.articles()[-1].text == "本条例由市人民代表大会常务委员会负责解释。"
    assert [r.heading for r in tree.roots][-1] == "附则" and tree.roots[-1].label == "第三章"


def test_the_lead_adds_a_participating_city(client, session, auth):
    lead, project = _setup(session)
    auth.login("xz")
    url = f"/projects/{project.id}"
    client.post(
        f"{url}/participants", data={"csrf_token": csrf_of(client, url), "jurisdiction": "341300"}
    )
    assert "宿州市" in client.get(url).get_data(as_text=True)
    make_user(session, "sq", "321300", "drafter")
    auth.logout()
    auth.login("sq")
    response = client.post(
        f"{url}/participants", data={"csrf_token": csrf_of(client, url), "jurisdiction": "340600"}
    )
    assert response.status_code == 403


def test_an_import_that_fails_half_way_changes_nothing(session, monkeypatch):
    from drafting.core.parsing import parse_text
    from drafting.errors import BadInput
    from drafting.services import revision_import as importing

    lead, project = _setup(session)
    draft = make_draft(session, lead, project)
    before = [(a.id, a.text) for a in drafts.load_tree(session, draft).articles()]
    calls = []

    def failing_insert(*args, **kwargs):
        calls.append(1)
        raise BadInput("模拟的失败")

    monkeypatch.setattr(importing, "add_provision", failing_insert)
    revised = SMALL_REGULATION.replace(
        "第三条　市人民政府", "第三条　市、县（区）人民政府"
    ).replace("第五条　本条例", "第五条　新增的条文。\n\n第六条　本条例")
    import pytest

    with pytest.raises(BadInput):
        importing.update_from_document(session, lead, draft, parse_text(revised))
    assert calls
    assert [(a.id, a.text) for a in drafts.load_tree(session, draft).articles()] == before


def test_importing_a_text_without_chapters_can_put_a_new_article_first(session):
    from drafting.core.parsing import parse_text
    from drafting.services.revision_import import update_from_document

    lead, project = _setup(session)
    plain = "XX市规定\n\n第一条　甲。\n\n第二条　乙。\n"
    draft = make_draft(session, lead, project, plain)
    revised = "XX市规定\n\n第一条　新的第一条。\n\n第二条　甲。\n\n第三条　乙。\n"
    summary = update_from_document(session, lead, draft, parse_text(revised))
    assert summary.inserted == 1
    assert [a.text for a in drafts.load_tree(session, draft).articles()] == [
        "新的第一条。",
        "甲。",
        "乙。",
    ]


def test_importing_a_file_that_renames_a_chapter_and_adds_one_changes_the_chapters(session):
    from drafting.core.parsing import parse_text
    from drafting.services.revision_import import update_from_document

    lead, project = _setup(session)
    draft = make_draft(session, lead, project)
    before = drafts.load_tree(session, draft)
    chapters = [n for n in before.roots if n.kind == "chapter"]
    fifth = before.articles()[4]
    revised = SMALL_REGULATION.replace("第二章　保护管理", "第二章　保护与管理").replace(
        "第五条　本条例自", "第三章　附则\n\n第五条　本条例自"
    )
    summary = update_from_document(session, lead, draft, parse_text(revised))
    assert "改名 1 处，新增 1 处" in summary.describe()
    after = drafts.load_tree(session, draft)
    assert [(n.label, n.heading) for n in after.roots] == [
        ("第一章", "总则"),
        ("第二章", "保护与管理"),
        ("第三章", "附则"),
    ]
    assert after.roots[1].id == chapters[1].id  # renamed, not replaced: comments stay on it
    assert [a.id for a in after.roots[2].children] == [fifth.id]  # moved, same article
    history = editing.history(session, session.get(editing.Provision, chapters[1].id))
    assert [r.heading for r in history] == ["保护管理", "保护与管理"]


def test_a_chapter_missing_from_the_revised_file_is_deleted_when_empty_or_reported(session):
    from drafting.core.parsing import parse_text
    from drafting.services.revision_import import update_from_document

    lead, project = _setup(session)
    draft = make_draft(session, lead, project)
    # The revised text drops chapter two's heading: its articles now follow chapter one.
    revised = SMALL_REGULATION.replace("第二章　保护管理\n", "")
    summary = update_from_document(session, lead, draft, parse_text(revised))
    after = drafts.load_tree(session, draft)
    assert [n.heading for n in after.roots] == ["总则"]
    assert len(after.roots[0].children) == 5
    assert "删除 1 处" in summary.describe()
