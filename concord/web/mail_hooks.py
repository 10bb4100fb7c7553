"""Wire the mail outbox to the app: a sender thread woken after each commit that added mail."""

from __future__ import annotations

from flask import Flask

from concord.notifications.mail import MailSender, smtp_settings, wake_after_commits


def init_app(app: Flask) -> None:
    """Start the mail sender when CONCORD_SMTP_URL is set; wake it after commits that add mail."""
    settings = smtp_settings(app.config.get("SMTP_URL"), app.config.get("MAIL_FROM"))
    if settings is None:
        return
    sender = MailSender(
        app.extensions["concord_sessions"],
        settings,
        app.config.get("PUBLIC_URL") or "http://localhost:5000",
        poll_seconds=app.config.get("MAIL_POLL_SECONDS", 30),
        gather_seconds=app.config.get("MAIL_GATHER_SECONDS", 1),
    )
    app.extensions["concord_mail"] = sender
    wake_after_commits(app.extensions["concord_sessions"], sender)
    sender.start()
