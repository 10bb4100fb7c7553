"""Pages and /api/v1 endpoints of the comments package."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Register the package's blueprints on the app."""
    from comments.web import proposal_hooks

    proposal_hooks.register(app)
