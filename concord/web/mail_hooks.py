"""Wire the mail outbox to the app: a sender thread woken after each commit that added mail."""

from __future__ import annotations

from flask import Flask, current_app, request

from concord.notifications.mail import MailSender, smtp_settings, wake_after_commits


def public_base() -> str:
    """Return the address people outside reach: CONCORD_PUBLIC_URL, else this request's host."""
    return current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")


def public_url(path: str) -> str:
    """Return the absolute address of a path of this app for QR codes, posters and e-mails."""
    return public_base() + path


def is_loopback(url: str) -> bool:
    """Return whether an address points at this machine only (no resident could open it)."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1", "0.0.0.0") or host.startswith("127.")


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
