"""Proposal pages: the record form, draft-page badges, the report and its exports, imports."""

from __future__ import annotations

import csv
import io
import re

from tests.helpers import bearer, login, make_draft, make_project, make_user

HEADER = (
    "类别,编号,标题,内容,提出人,代表团,届次,闭会期间,日期,渠道,状态,承办单位,答复期限,联系方式\n"
)
GOOD = (
    "代表建议,第0301号,关于红色资源规划的建议,纳入规划,李红梅、王建国,徐州代表团,"
    "第十七届人大第三次会议,否,2026-01-16,大会,办理中,市文旅局,2026-04-16,\n"
    "民情民意,,关于纪念设施开放时间的意见,延长开放时间,,,,,2026-02-01,扫码,,,,138****0000\n"
)
BAD = "议案,第0002号,,没有标题,,,,,,,,,,\n心愿,,关于什么的,内容,,,,,2026-13-45,,,,,\n"


def _csrf(client, path="/proposals/import"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _setup(session, client):
    lead = make_user(session, "xz", "320300")
    project = make_project(session, lead, participants=("321300",))
    common = make_draft(session, lead, project)
    login(client, "xz")
    return lead, project, common


def _count(session):
    from sqlalchemy import func, select

    from comments.proposals.models import Proposal

    session.rollback()
    return session.scalar(select(func.count(Proposal.id)))


def _upload(client, name, data):
    return client.post(
        "/proposals/import",
        data={"csrf_token": _csrf(client), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _confirm(client, preview):
    html = preview.get_data(as_text=True)
    payload = re.search(r'name="payload" value="([^"]+)"', html).group(1)
    filename = re.search(r'name="filename" value="([^"]+)"', html).group(1)
    return client.post(
        "/proposals/import",
        data={
            "csrf_token": _csrf(client),
            "confirm": "1",
            "payload": payload,
            "filename": filename,
        },
    )


def test_a_csv_is_previewed_then_imported_on_confirmation(client, session):
    _setup(session, client)
    preview = _upload(client, "建议.csv", (HEADER + GOOD).encode("utf-8"))
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "关于红色资源规划的建议" in html and "确认导入 2 件" in html
    assert _count(session) == 0  # nothing until confirmed
    done = _confirm(client, preview)
    assert done.status_code == 302
    assert _count(session) == 2
    listing = client.get("/proposals").get_data(as_text=True)
    assert "代表建议第0301号" in listing


def test_gbk_csv_and_xlsx_are_read(client, session):
    _setup(session, client)
    assert "确认导入 2 件" in _upload(client, "gbk.csv", (HEADER + GOOD).encode("gbk")).get_data(
        as_text=True
    )
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(HEADER + GOOD)):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    preview = _upload(client, "建议.xlsx", buffer.getvalue())
    assert "确认导入 2 件" in preview.get_data(as_text=True)
    assert _confirm(client, preview).status_code == 302
    assert _count(session) == 2


def test_a_file_with_bad_rows_reports_them_by_line_and_stores_nothing(client, session):
    _setup(session, client)
    preview = _upload(client, "bad.csv", (HEADER + GOOD + BAD).encode("utf-8"))
    assert preview.status_code == 422
    html = preview.get_data(as_text=True)
    assert "第 4 行" in html and "标题" in html
    assert "第 5 行" in html and "心愿" in html and "2026-13-45" in html
    assert "第 2 行：" not in html
    assert 'name="payload"' not in html  # no way to confirm
    # Even a forged confirmation of the bad file stores nothing.
    import base64

    forged = client.post(
        "/proposals/import",
        data={
            "csrf_token": _csrf(client),
            "confirm": "1",
            "filename": "bad.csv",
            "payload": base64.b64encode((HEADER + GOOD + BAD).encode()).decode(),
        },
    )
    assert forged.status_code == 400
    assert _count(session) == 0


def test_an_import_records_only_for_the_users_city_and_its_projects(client, session):
    _lead, project, _common = _setup(session, client)
    stranger = make_user(session, "shq", "411400")
    hidden = make_project(session, stranger, participants=(), title="商丘的项目")
    rows = (
        "类别,标题,内容,地区,项目\n"
        f"民情民意,本地的意见,内容,320300,{project.id}\n"
        "民情民意,替别的城市登记,内容,321300,\n"
        f"民情民意,进别人的项目,内容,320300,{hidden.id}\n"
    )
    preview = _upload(client, "rows.csv", rows.encode("utf-8"))
    assert preview.status_code == 422
    html = preview.get_data(as_text=True)
    assert "第 3 行" in html and "只能登记本地区的建议和意见" in html
    assert "第 4 行" in html and f"找不到项目 {hidden.id}" in html
    assert "第 2 行：" not in html
    assert _count(session) == 0


def test_files_that_are_not_tables_are_refused_plainly(client, session):
    _setup(session, client)
    for name, data in [
        ("x.xlsx", b"not a zip"),
        ("x.pdf", b"%PDF"),
        ("x.csv", b""),
        ("x.csv", "名称,内容\n一,二\n".encode()),
    ]:
        refused = _upload(client, name, data)
        assert refused.status_code in (400, 422), name
        assert "error-message" in refused.get_data(as_text=True)
    assert _count(session) == 0


def test_the_record_form_names_bad_fields_and_keeps_what_was_typed(client, session):
    _setup(session, client)
    bad = client.post(
        "/proposals/new",
        data={
            "csrf_token": _csrf(client, "/proposals/new"),
            "kind": "motion",
            "title": "",
            "text": "保留我",
            "deadline": "2026-02-30",
        },
    )
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "title-error" in html and "deadline-error" in html and "保留我" in html
    good = client.post(
        "/proposals/new",
        data={
            "csrf_token": _csrf(client, "/proposals/new"),
            "kind": "motion",
            "title": "议案一",
            "number": "第0009号",
        },
    )
    assert good.status_code == 302
    assert "议案第0009号" in client.get(good.headers["Location"]).get_data(as_text=True)


def _linked(client, session, lead, project, common, deadline="2020-01-01"):
    from drafting.services.drafts import load_tree

    h = bearer(session, lead)
    art = next(n for n in load_tree(session, common).articles() if n.label == "第三条")
    pid = client.post(
        "/api/v1/proposals",
        json={
            "kind": "suggestion",
            "number": "第0123号",
            "title": "关于规划的建议",
            "project": project.id,
            "deadline": deadline,
        },
        headers=h,
    ).get_json()["id"]
    client.post(
        "/api/v1/proposals/" + str(pid) + "/links",
        json={"provision": art.id, "note": "规划"},
        headers=h,
    )
    client.post(
        "/api/v1/proposals",
        json={"kind": "opinion", "title": "尚无条款的意见", "project": project.id},
        headers=h,
    )
    return pid, art


def test_the_draft_page_shows_inspired_by_badges(client, session):
    lead, project, common = _setup(session, client)
    pid, art = _linked(client, session, lead, project, common)
    page = client.get(f"/drafts/{common.id}").get_data(as_text=True)
    assert "源自代表建议第0123号" in page
    assert f'href="/proposals/{pid}"' in page


def test_the_report_page_and_exports(client, session):
    lead, project, common = _setup(session, client)
    _linked(client, session, lead, project, common)
    page = client.get(f"/projects/{project.id}/traceability").get_data(as_text=True)
    assert "第三条" in page and "尚无条款的意见" in page
    assert "badge overdue" in page  # the suggestion's deadline has passed unanswered
    data = client.get(f"/projects/{project.id}/traceability?format=csv").data
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "类别"
    by_title = {r[2]: r for r in rows[1:]}
    assert by_title["关于规划的建议"][12] == "第三条"
    assert by_title["关于规划的建议"][9] == "是"
    assert by_title["尚无条款的意见"][14] == "尚无条款"
    from docx import Document

    docx = client.get(f"/projects/{project.id}/traceability?format=docx")
    doc = Document(io.BytesIO(docx.data))
    text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "第三条" in text and "尚无条款的意见" in text and "逾期未答复" in text
    assert client.get(f"/projects/{project.id}/traceability?format=pdf").status_code == 400


def test_the_most_similar_provisions_are_offered_for_one_click_linking(client, session):
    lead, project, common = _setup(session, client)
    h = bearer(session, lead)
    pid = client.post(
        "/api/v1/proposals",
        json={
            "kind": "opinion",
            "title": "关于纳入发展规划的意见",
            "text": "建议市人民政府将红色资源保护纳入国民经济和社会发展规划。",
            "project": project.id,
        },
        headers=h,
    ).get_json()["id"]
    page = client.get(f"/proposals/{pid}").get_data(as_text=True)
    offered = re.findall(r"<strong>([^<]*) (第[^<]*条)</strong>", page.split("可能相关的条款")[1])
    assert offered[0][1] == "第三条"
    from drafting.services.drafts import load_tree

    art3 = next(n.id for n in load_tree(session, common).articles() if n.label == "第三条")
    assert f'name="provision" value="{art3}"' in page
    done = client.post(
        f"/proposals/{pid}/links", data={"csrf_token": _csrf(client), "provision": art3}
    )
    assert done.status_code == 302
    after = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "第三条" in after.split("形成的条款")[1].split("可能相关的条款")[0]


def test_the_unlink_button_shows_only_where_the_user_may_unlink(client, session):
    lead, project, common = _setup(session, client)
    partner = make_user(session, "sq", "321300")
    make_draft(session, partner, project, jurisdiction="321300", common=False)
    pid, _art = _linked(client, session, lead, project, common)
    assert "取消关联" in client.get(f"/proposals/{pid}").get_data(as_text=True)

    client.post("/logout", data={"csrf_token": _csrf(client, f"/proposals/{pid}")})
    login(client, "sq")
    page = client.get(f"/proposals/{pid}")
    assert page.status_code == 200
    # 宿迁 may link to its own draft, but the link on 徐州's common text is not its to remove.
    assert "关联" in page.get_data(as_text=True)
    assert "取消关联" not in page.get_data(as_text=True)


def test_only_the_citys_handlers_are_offered_key_supervision_of_a_suggestion(client, session):
    from comments.proposals.services import proposals
    from comments.proposals.services.fields import ProposalFields
    from concord.db import unit_of_work

    lead, _project, _common = _setup(session, client)
    make_user(session, "xz_reader", "320300", "commenter")
    fields = ProposalFields(kind="suggestion", title="关于纪念馆开放的建议", text="延长开放时间。")
    with unit_of_work(session):
        suggestion = proposals.add_proposal(session, lead, fields)
    page = client.get(f"/proposals/{suggestion.id}").get_data(as_text=True)
    assert 'id="supervisor"' in page
    login(client, "xz_reader")
    page = client.get(f"/proposals/{suggestion.id}")
    assert page.status_code == 200 and "关于纪念馆开放的建议" in page.get_data(as_text=True)
    assert 'id="supervisor"' not in page.get_data(as_text=True)
