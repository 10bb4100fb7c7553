"""Done-when of issue 21: a city admin creates a drafter, who sets a password with the one-time
link, sees that a round opened to their city and follows it to the draft; the e-mail for that
event reaches the (real, local) SMTP server once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from comments.consultation.services import rounds
from concord.accounts.models import User
from concord.db import unit_of_work
from concord.notifications.mail import send_pending, smtp_settings
from drafting.models import Draft, Project
from tests.browser.helpers import sign_in
from tests.helpers import SmtpInbox, make_user, start_mail


def _shot(page, name: str) -> None:
    """Keep a screenshot when CONCORD_SCREENSHOTS names a folder (to look at, not to assert)."""
    import os

    if os.environ.get("CONCORD_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['CONCORD_SCREENSHOTS']}/{name}.png", full_page=True)


@pytest.fixture
def smtp():
    inbox = SmtpInbox()
    inbox.controller.start()
    yield inbox
    inbox.controller.stop()


def test_admin_creates_a_drafter_who_follows_a_round_notification(
    page, browser, live_server, demo_app, session, smtp
):
    make_user(session, "sq_admin", "321300", "admin", password="demo-sq-admin")
    sender = start_mail(demo_app, smtp)
    try:
        sign_in(page, "sq_admin", "demo-sq-admin")
        page.get_by_role("link", name="用户", exact=True).click()
        page.get_by_label("用户名").fill("sq_zhao")
        page.get_by_label("显示名称").fill("赵晴")
        page.get_by_label("电子邮件").fill("zhao@suqian.example")
        page.get_by_label("角色").select_option("drafter")
        page.get_by_role("button", name="创建用户").click()
        link = page.locator("#set-password-link").inner_text()
        _shot(page, "admin-users")
        assert "/set-password/" in link
        assert page.get_by_role("cell", name="sq_zhao").is_visible()

        drafter = browser.new_context(base_url=live_server, locale="zh-CN").new_page()
        drafter.goto(link.replace(link.split("/set-password/")[0], live_server))
        drafter.get_by_label("新密码（至少 8 个字符）").fill("zhao-pw-2026")
        drafter.get_by_label("再次输入新密码").fill("zhao-pw-2026")
        drafter.get_by_role("button", name="设置密码并登录").click()
        assert drafter.locator(".whoami").inner_text().startswith("赵晴")

        # 徐州's drafter opens a round on the common text, inviting 宿迁.
        session.commit()
        draft = session.scalar(
            select(Draft)
            .join(Project)
            .where(Draft.jurisdiction_code == "320300", Project.lead_code == "320300")
            .order_by(Draft.id)
        )
        lead = session.scalar(select(User).where(User.username == "xz_drafter"))
        with unit_of_work(session):
            rounds.build_round(
                session,
                lead,
                draft,
                title="第三轮征求意见",
                opens=date.today(),
                closes=date.today() + timedelta(days=14),
                invited=["321300"],
            )

        drafter.reload()
        assert drafter.locator(".topbar .inbox .count").inner_text() == "1"
        drafter.locator(".topbar .inbox").click()
        _shot(drafter, "notifications")
        item = drafter.get_by_role("link", name="第三轮征求意见")
        assert "向本地区征求意见" in item.inner_text()
        item.click()
        drafter.wait_for_url(f"**/drafts/{draft.id}")
        assert draft.title in drafter.locator("h1").first.inner_text()
        assert drafter.locator(".topbar .inbox .count").count() == 0

        messages = smtp.wait_for(1)
        assert [m["To"] for m in messages] == ["zhao@suqian.example"]
        assert "第三轮征求意见" in messages[0]["Subject"]
        assert f"/drafts/{draft.id}" in messages[0].get_content()
    finally:
        sender.stop()
    settings = smtp_settings(smtp.url, "concord@example.org")
    assert send_pending(demo_app.extensions["concord_sessions"], settings, live_server) == 0
    assert len(smtp.messages) == 1
