"""Helpers for tests: users, projects, drafts, sign-in, tokens and sample texts.

Import them from here (`from tests.helpers import make_user`); conftest.py holds fixtures only.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from concord.accounts import users as accounts
from concord.db import unit_of_work

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("CONCORD_CORPUS") or REPO.parent / "shared" / "corpus")


def corpus_or_skip() -> Path:
    """Return the shared corpus folder, or skip the test with the reason."""
    if not (CORPUS / "manifest.tsv").exists():
        pytest.skip(f"the shared corpus is not at {CORPUS} (set CONCORD_CORPUS to its folder)")
    return CORPUS


def make_user(session, username, jurisdiction="320300", role="drafter", password=None):
    """Create a user whose password is `pw-<username>-secret` unless given."""
    return accounts.create_user(
        session,
        username=username,
        jurisdiction=jurisdiction,
        role=role,
        password=password or f"pw-{username}-secret",
        display_name=username.title(),
    )


def csrf_of(client, path="/login") -> str:
    """Return the CSRF token that a page of `path` carries for this client's session."""
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, username, password=None):
    """Sign in through the form, as a person would."""
    token = csrf_of(client)
    return client.post(
        "/login",
        data={
            "username": username,
            "password": password or f"pw-{username}-secret",
            "csrf_token": token,
        },
    )


class Auth:
    """Sign users in and out of the test client."""

    def __init__(self, client):
        self.client = client

    def login(self, username, password=None):
        return login(self.client, username, password)

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": csrf_of(self.client, "/projects")})


def bearer(session, user) -> dict:
    """Return headers with a fresh API token of `user`."""
    # End a read snapshot older than the requests' own writes (sign-in sessions): SQLite
    # cannot turn such a snapshot into a write.
    session.commit()
    return {"Authorization": f"Bearer {accounts.issue_token(session, user, name='test')}"}


SAMPLE_COMMON = REPO / "samples" / "huaihai" / "common-征求意见稿.md"

SMALL_REGULATION = """XX市红色资源保护条例

第一章　总则

第一条　为了加强红色资源保护，制定本条例。

第二条　本条例适用于本市行政区域内红色资源的保护。

前款所称红色资源，是指下列物质资源和非物质资源：

（一）重要旧址、遗址；

（二）纪念设施。

第二章　保护管理

第三条　市人民政府应当将红色资源保护纳入国民经济和社会发展规划。

第四条　违反本条例第三条规定的，由有关部门责令改正。

第五条　本条例自2025年7月1日起施行。
"""


def make_project(session, lead_user, *, participants=("321300", "371300"), title="协同立法项目"):
    """Create a project led by `lead_user`'s jurisdiction."""
    from drafting.services import projects

    return projects.create_project(
        session,
        lead_user,
        title=title,
        lead=lead_user.jurisdiction_code,
        participants=list(participants),
    )


def make_draft(session, user, project, text=SMALL_REGULATION, *, common=None, jurisdiction=None):
    """Create a draft from regulation text (the lead's common text unless told otherwise)."""
    from drafting.core.parsing import parse_text
    from drafting.services import drafts

    jurisdiction = jurisdiction or user.jurisdiction_code
    if common is None:
        common = jurisdiction == project.lead_code and not any(d.is_common for d in project.drafts)
    with unit_of_work(session):
        return drafts.add_draft(
            session,
            user,
            project,
            jurisdiction=jurisdiction,
            document=parse_text(text),
            common=common,
        )


class SmtpInbox:
    """A real SMTP server (aiosmtpd) on a free local port that keeps every message it receives."""

    def __init__(self):
        import socket

        from aiosmtpd.controller import Controller

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages: list = []
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        from email import message_from_bytes
        from email.policy import default

        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def wait_for(self, count: int, seconds: float = 20) -> list:
        """Return the messages once `count` have arrived (or what came within `seconds`)."""
        import time

        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def start_mail(app, inbox: SmtpInbox, public_url: str = "https://concord.example.org"):
    """Start the app's mail sender against `inbox`, as CONCORD_SMTP_URL would; return it."""
    from concord.notifications.mail import MailSender, smtp_settings, wake_after_commits

    sessions = app.extensions["concord_sessions"]
    sender = MailSender(
        sessions,
        smtp_settings(inbox.url, "concord@example.org"),
        public_url,
        poll_seconds=30,
        gather_seconds=0.2,
    )
    wake_after_commits(sessions, sender)
    sender.start()
    return sender
