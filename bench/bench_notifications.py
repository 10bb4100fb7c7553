"""Notification speed: a round opened to 6 cities of 50 users each (300 notifications, every user
with an e-mail address), answered with the outbox (mail after the commit, by the sender) against
the obvious alternative of mailing inside the request; then three events per user sent as one
digest each against one message per event. SMTP is a local aiosmtpd server.

Run: python bench/bench_notifications.py [--users-per-city N]. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from comments.consultation.services import rounds  # noqa: E402
from concord import db  # noqa: E402
from concord.accounts import users as accounts  # noqa: E402
from concord.app import create_app  # noqa: E402
from concord.db import unit_of_work  # noqa: E402
from concord.notifications import mail  # noqa: E402
from concord.notifications.events import notify, users_of  # noqa: E402
from concord.notifications.models import Notification  # noqa: E402
from concord.schema import upgrade  # noqa: E402
from drafting.core.parsing import parse_text  # noqa: E402
from drafting.services import drafts, projects  # noqa: E402
from tests.helpers import SMALL_REGULATION, SmtpInbox  # noqa: E402

CITIES = ["321300", "340600", "341300", "411400", "371300", "320100"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users-per-city", type=int, default=50)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="concord-bench-notify-"))
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'c.db'}",
            "INSTANCE": str(folder),
            "SECRET_KEY": "bench",
        }
    )
    upgrade(app.extensions["concord_engine"])
    db.writing.set(True)  # as in a POST: take SQLite's write lock at BEGIN, never mid-way
    inbox = SmtpInbox()
    inbox.controller.start()
    settings = mail.smtp_settings(inbox.url, "bench@example.org")
    sessions = app.extensions["concord_sessions"]
    with sessions() as s:
        lead = accounts.create_user(
            s, username="lead", jurisdiction="320300", role="drafter", password="bench-password"
        )
        for code in CITIES:
            for i in range(args.users_per_city):
                accounts.create_user(
                    s,
                    username=f"u{code}_{i}",
                    jurisdiction=code,
                    role="commenter",
                    email=f"u{code}_{i}@example.org",
                )
        project = projects.create_project(
            s, lead, title="基准", subject="", lead="320300", participants=CITIES
        )
        with unit_of_work(s):
            draft = drafts.add_draft(
                s,
                lead,
                project,
                jurisdiction="320300",
                title="基准条例",
                document=parse_text(SMALL_REGULATION),
                common=True,
            )
        n = args.users_per_city * len(CITIES)
        today = date.today()

        start = time.perf_counter()
        with unit_of_work(s):
            rounds.build_round(
                s,
                lead,
                draft,
                title="第一轮",
                opens=today,
                closes=today + timedelta(days=20),
                invited=CITIES,
            )
        outbox = time.perf_counter() - start
        start = time.perf_counter()
        sent = mail.send_pending(sessions, settings, "https://concord.example.org")
        background = time.perf_counter() - start

        # The alternative: the same round, each recipient mailed before the request answers.
        start = time.perf_counter()
        with unit_of_work(s):
            rounds.build_round(
                s,
                lead,
                draft,
                title="第二轮",
                opens=today,
                closes=today + timedelta(days=20),
                invited=CITIES,
            )
        for note in s.query(Notification).filter(Notification.mail_state == "pending").all():
            mail.deliver(settings, [mail.compose(note.user, [note], "https://c.example", "b@x")])
            note.mail_state = "sent"  # one connection per message, as a naive request would
        s.commit()
        inline = time.perf_counter() - start

        for i in range(3):
            notify(s, "comment_awaiting", users_of(*CITIES), subject=f"第{i + 3}条", url="/x")
        s.commit()
        before = len(inbox.messages)
        start = time.perf_counter()
        digests = mail.send_pending(sessions, settings, "https://concord.example.org")
        digest_time = time.perf_counter() - start
    inbox.controller.stop()
    print(
        f"round opened to {n} users: request {outbox * 1000:.0f} ms with the outbox "
        f"vs {inline * 1000:.0f} ms mailing inside the request"
    )
    print(f"outbox sent by the background sender: {sent} messages in {background * 1000:.0f} ms")
    print(
        f"3 events per user: {digests} digests ({len(inbox.messages) - before} received) in "
        f"{digest_time * 1000:.0f} ms instead of {3 * n} messages"
    )


if __name__ == "__main__":
    main()
