"""Per-request context that layers below the web read without Flask: language and write intent."""

from __future__ import annotations

from flask import Flask, g, request

from concord import db
from concord.i18n import (
    LANGUAGES,
    ROLE_NAMES,
    current_language,
    gettext,
    reset_language,
    set_language,
)


def init_app(app: Flask) -> None:
    """Set the request's language and write intent before it is served; reset them after."""

    @app.before_request
    def _enter():
        g.language_token = set_language(request.args.get("lang") or request.cookies.get("lang"))
        g.writing_token = db.writing.set(request.method not in ("GET", "HEAD", "OPTIONS"))

    @app.teardown_request
    def _leave(_exc):
        token = g.pop("language_token", None)
        if token is not None:
            reset_language(token)
        token = g.pop("writing_token", None)
        if token is not None:
            db.writing.reset(token)

    app.jinja_env.globals.update(
        _=gettext, current_language=current_language, LANGUAGES=LANGUAGES, role_names=ROLE_NAMES
    )
