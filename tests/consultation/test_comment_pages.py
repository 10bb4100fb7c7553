"""The comment pages for each role: what each sees, what each may do, and bad input refused."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from comments.consultation.models import Comment, Disposition, Round
from tests.consultation.helpers import comment, consultation
from tests.helpers import csrf_of, login


def _panel_url(c, label="第三条"):
    return f"/drafts/{c['draft'].id}/provisions/{c['articles'][label].id}/comments"


def _count(session, model):
    session.rollback()
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def _post_comment(client, c, **fields):
    url = _panel_url(c)
    data = {
        "csrf_token": csrf_of(client, url),
        "round": c["round"].id,
        "provision": c["articles"]["第三条"].id,
        "kind": "general",
        "body": "建议明确规划期限。",
        **fields,
    }
    return client.post(url, data=data)


def test_an_invited_partner_comments_from_the_panel_and_html_is_shown_as_text(client, session):
    c = consultation(session)
    login(client, "sq_commenter")
    r = _post_comment(client, c, body="<b>加粗</b><script>alert(1)</script>")
    assert r.status_code == 302
    page = client.get(_panel_url(c)).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "以宿迁市的名义提出" in page


def test_an_uninvited_city_is_told_why_and_its_post_is_refused(client, session):
    c = consultation(session)
    login(client, "ly_commenter")
    page = client.get(_panel_url(c)).get_data(as_text=True)
    assert "本轮征求意见未邀请您所在的地区" in page and "提交意见" not in page
    assert _post_comment(client, c).status_code == 403
    assert _count(session, Comment) == 0


def test_after_the_closing_date_the_form_says_the_round_is_closed(client, session):
    past = date.today() - timedelta(days=30)
    c = consultation(session, opens=past, closes=past + timedelta(days=5))
    login(client, "sq_commenter")
    page = client.get(_panel_url(c)).get_data(as_text=True)
    assert f"本轮征求意见已于 {(past + timedelta(days=5)).isoformat()} 截止" in page
    r = _post_comment(client, c)
    assert r.status_code == 403 and "截止" in r.get_data(as_text=True)
    assert _count(session, Comment) == 0


def test_an_empty_comment_comes_back_with_the_message_and_nothing_stored(client, session):
    c = consultation(session)
    login(client, "sq_commenter")
    r = _post_comment(client, c, body="   ", quote="不存在的文字")
    assert r.status_code == 400 and "意见内容不能为空" in r.get_data(as_text=True)
    r = _post_comment(client, c, quote="不存在的文字")
    assert r.status_code == 400 and "不在该条款中" in r.get_data(as_text=True)
    assert _count(session, Comment) == 0


def test_a_project_outsider_sees_no_round_and_no_panel(client, session):
    c = consultation(session)
    login(client, "shq_drafter")
    assert client.get(f"/rounds/{c['round'].id}").status_code == 404
    assert client.get(_panel_url(c)).status_code == 404
    assert client.get(f"/rounds/{c['round'].id}/export?format=csv").status_code == 404


def test_a_partner_cannot_decide_or_open_rounds_from_the_pages(client, session):
    c = consultation(session)
    cid = comment(client, c).get_json()["id"]
    login(client, "sq_drafter")
    page = client.get(_panel_url(c)).get_data(as_text=True)
    assert "保存处理意见" not in page and "代为录入" not in page
    token = csrf_of(client, _panel_url(c))
    r = client.post(
        f"/comments/{cid}/disposition", data={"csrf_token": token, "decision": "adopted"}
    )
    assert r.status_code == 403
    assert _count(session, Disposition) == 0
    r = client.post(
        f"/drafts/{c['draft'].id}/rounds",
        data={
            "csrf_token": token,
            "title": "x",
            "opens": "2026-01-01",
            "closes": "2026-02-01",
            "invited": "321300",
        },
    )
    assert r.status_code == 403
    assert _count(session, Round) == 1


def test_the_lead_decides_from_the_panel_and_a_missing_reason_is_explained(client, session):
    c = consultation(session)
    cid = comment(client, c).get_json()["id"]
    login(client, "xz_drafter")
    token = csrf_of(client, _panel_url(c))
    r = client.post(
        f"/comments/{cid}/disposition", data={"csrf_token": token, "decision": "not_adopted"}
    )
    assert r.status_code == 400 and "须说明理由" in r.get_data(as_text=True)
    assert _count(session, Disposition) == 0
    r = client.post(
        f"/comments/{cid}/disposition",
        data={"csrf_token": token, "decision": "not_adopted", "reason": "与上位法重复。"},
    )
    assert r.status_code == 302
    login(client, "sq_commenter")
    outcomes = client.get("/comments/outcomes").get_data(as_text=True)
    assert "未采纳" in outcomes and "与上位法重复。" in outcomes


def test_the_lead_records_a_comment_from_a_meeting(client, session):
    c = consultation(session)
    login(client, "xz_drafter")
    r = _post_comment(
        client,
        c,
        channel="meeting",
        jurisdiction="340600",
        unit="淮北市立法座谈会",
        received_on=date.today().isoformat(),
    )
    assert r.status_code == 302
    page = client.get(_panel_url(c)).get_data(as_text=True)
    assert "淮北市立法座谈会" in page and "座谈会" in page


def test_a_comment_recorded_from_paper_needs_its_round_and_the_day_it_arrived(client, session):
    c = consultation(session)
    login(client, "xz_drafter")
    paper = dict(form="rec", channel="paper", jurisdiction="340600", unit="淮北市人大常委会")
    undated = _post_comment(client, c, **paper, received_on="")
    assert undated.status_code == 400
    assert "缺少日期 收到日期" in undated.get_data(as_text=True)
    no_round = _post_comment(client, c, **paper, round="", received_on=date.today().isoformat())
    assert no_round.status_code == 400
    assert "代为录入意见须指明轮次" in no_round.get_data(as_text=True)
    assert _count(session, Comment) == 0


def test_the_round_overview_and_my_lists(client, session):
    c = consultation(session)
    comment(client, c)
    comment(client, c, who="other_partner", label="第四条")
    login(client, "xz_drafter")
    page = client.get(f"/rounds/{c['round'].id}").get_data(as_text=True)
    assert "共 2 条意见，待处理 2 条" in page
    filtered = client.get(f"/rounds/{c['round'].id}?jurisdiction=340600").get_data(as_text=True)
    assert "淮北市" in filtered and "1 条意见" in filtered
    todo = client.get("/comments/attention").get_data(as_text=True)
    assert "2 条待处理" in todo
    draft_page = client.get(f"/drafts/{c['draft'].id}").get_data(as_text=True)
    assert "意见（1）" in draft_page and "toc-count" in draft_page
    login(client, "sq_commenter")
    todo = client.get("/comments/attention").get_data(as_text=True)
    assert "第一轮征求意见" in todo
