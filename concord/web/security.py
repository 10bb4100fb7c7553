"""Response headers that keep pages from being framed, sniffed, cached or running foreign code."""

from __future__ import annotations

from flask import Flask, g, request, session

# No inline script or style anywhere: templates load static/*.js and static/*.css only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    """Add the security headers to every response; signed-in answers are never stored."""

    @app.after_request
    def _headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        signed_in = getattr(g, "user", None) is not None
        fresh_session = session.modified or "Set-Cookie" in h
        if signed_in or request.path.startswith("/api/") or fresh_session:
            # A user's data, a freshly shown token or a new session: never kept in a cache.
            h["Cache-Control"] = "no-store"
            h.setdefault("Pragma", "no-cache")
        return response
