"""The address people outside reach (CONCORD_PUBLIC_URL): QR codes, posters and e-mails use it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request


def public_base() -> str:
    """Return the address people outside reach: CONCORD_PUBLIC_URL, else this request's host."""
    return current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")


def public_url(path: str) -> str:
    """Return the absolute address of a path of this app for QR codes, posters and e-mails."""
    return public_base() + path


def is_loopback(url: str) -> bool:
    """Return whether an address points at this machine only (no resident could open it)."""
    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1", "0.0.0.0") or host.startswith("127.")
