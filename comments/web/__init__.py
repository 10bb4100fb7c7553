"""Pages and /api/v1 endpoints of the comments package."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Register the package's blueprints on the app."""
    from comments.core.clock import beijing
    from comments.web import intake_pages, opinion_api, proposal_hooks, station_pages

    app.jinja_env.filters["beijing"] = beijing
    proposal_hooks.register(app)
    app.register_blueprint(intake_pages.bp)
    app.register_blueprint(station_pages.bp)
    app.register_blueprint(opinion_api.bp)
