"""Application factory: configuration from the environment, database, blueprints, errors."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, request
from sqlalchemy.orm import Session
from werkzeug.middleware.proxy_fix import ProxyFix

from concord import clock, db, i18n
from concord.web import auth, context, inputs, mail_hooks, security
from drafting.errors import ConcordError

ROOT = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> str:
    """Return the top-level folder (templates, static, samples) in a checkout or an install."""
    here = ROOT / name
    if here.is_dir():
        return str(here)
    import sys

    installed = Path(sys.prefix) / "lib"  # wheel installs keep them as concord_<name> packages
    for candidate in installed.glob(f"python*/site-packages/concord_{name}"):
        return str(candidate)
    return str(here)


def instance_path() -> Path:
    """Return the instance folder (database, secret key, index) from CONCORD_INSTANCE."""
    return Path(os.environ.get("CONCORD_INSTANCE") or (Path.cwd() / "instance")).resolve()


def _secret_key(folder: Path) -> str:
    """Return SECRET_KEY from the environment, else the one kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def default_config() -> dict:
    """Return the configuration read from the environment."""
    folder = instance_path()
    return {
        "INSTANCE": str(folder),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'concord.db'}",
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("CONCORD_SECURE_COOKIES", "0") == "1",
        "SESSION_COOKIE_NAME": "concord_session",
        "LOGIN_DELAY_SECONDS": 1.0,
        "SQLITE_BUSY_SECONDS": _number("CONCORD_SQLITE_BUSY_SECONDS", 30),
        "SESSION_IDLE_MINUTES": _number("CONCORD_SESSION_IDLE_MINUTES", 120),
        "SESSION_MAX_HOURS": _number("CONCORD_SESSION_MAX_HOURS", 12),
        "PUBLIC_URL": os.environ.get("CONCORD_PUBLIC_URL", "").rstrip("/"),
        "SMTP_URL": os.environ.get("CONCORD_SMTP_URL", ""),
        "MAIL_FROM": os.environ.get("CONCORD_MAIL_FROM", ""),
    }


def _number(name: str, default: float) -> float:
    """Return a positive number from the environment variable `name`, else `default`."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the Concord web application."""
    config = default_config()
    config.update(test_config or {})
    folder = Path(config["INSTANCE"])
    folder.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(folder),
        template_folder=resource_dir("templates"),
        static_folder=resource_dir("static"),
        static_url_path="/static",
    )
    app.config.update(config)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_MAX_HOURS"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(folder)
    if os.environ.get("CONCORD_BEHIND_PROXY") == "1":
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    db.init_app(app)
    mail_hooks.init_app(app)
    context.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    inputs.init_app(app)

    import search
    from comments.proposals.models import Proposal
    from search.services.workspace import Source, proposal_documents
    from search.web.views import api as search_api
    from search.web.views import bp as search_bp

    search.init_app(app, sources=[Source(Proposal, "proposal", proposal_documents)])
    from search.services.upper_law import statute_source

    app.extensions["concord_statutes"] = statute_source(app.extensions["concord_engine"])

    from concord.web import (
        account_pages,
        account_settings,
        admin_pages,
        api_docs,
        city_picker,
        users_api,
    )
    from drafting.web import (
        api,
        article_menu,
        draft_pages,
        editing_pages,
        reconciliation_api,
        reconciliation_pages,
        review_pages,
        workspace_pages,
    )
    from drafting.web.html_diffs import side_html

    # Their routes are on the draft pages' blueprint.
    assert editing_pages.bp is draft_pages.bp and article_menu.bp is draft_pages.bp
    if reconciliation_pages.draft_links not in draft_pages.DRAFT_LINKS:
        # Each draft links to the project's matrix and its pending common-text changes.
        draft_pages.DRAFT_LINKS.append(reconciliation_pages.draft_links)
    app.jinja_env.globals["side_html"] = side_html
    # Instants are stored in UTC and shown in Beijing time on every page.
    app.jinja_env.filters["when"] = clock.shown
    app.jinja_env.filters["day"] = clock.shown_day
    app.register_blueprint(account_pages.bp)
    app.register_blueprint(workspace_pages.bp)
    app.register_blueprint(draft_pages.bp)
    app.register_blueprint(reconciliation_pages.bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(search_api)
    app.register_blueprint(api.bp)
    app.register_blueprint(api_docs.bp)
    app.register_blueprint(reconciliation_api.bp)
    app.register_blueprint(review_pages.bp)
    app.register_blueprint(review_pages.api)
    if review_pages.article_marks not in draft_pages.ARTICLE_LINKS:
        draft_pages.ARTICLE_LINKS.append(review_pages.article_marks)
    assert account_settings.bp is account_pages.bp  # my account's routes are on the shell's
    for blueprint in (admin_pages.bp, users_api.bp):
        app.register_blueprint(blueprint)
    account_settings.init_unread(app)
    city_picker.init_app(app)

    import comments.web

    comments.web.register(app)
    _register_errors(app)
    return app


def _register_errors(app: Flask) -> None:
    """Render domain errors and HTTP errors as pages, or as JSON under /api/."""
    from flask import jsonify, render_template
    from sqlalchemy.exc import DataError, OperationalError
    from werkzeug.exceptions import HTTPException

    from concord.i18n import gettext as _

    def wants_json() -> bool:
        return request.path.startswith("/api/")

    def render(status: int, code: str, message: str, **details):
        if wants_json():
            body = {"error": {"code": code, "message": message, **details}}
            return jsonify(body), status
        return render_template("error.html", status=status, message=message), status

    @app.errorhandler(ConcordError)
    def domain_error(err: ConcordError):
        get_session().rollback()
        return render(err.status, err.code, err.message, **err.details)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        messages = {
            400: i18n.gettext("请求无效。"),
            401: i18n.gettext("请先登录。"),
            403: i18n.gettext("您无权执行此操作。"),
            404: i18n.gettext("找不到该页面或对象。"),
            405: i18n.gettext("不支持该请求方法。"),
            413: i18n.gettext("上传的文件过大（上限 20 MB）。"),
        }
        message = getattr(err, "concord_message", None) or messages.get(err.code or 500)
        code = (err.name or "error").lower().replace(" ", "_")
        return render(err.code or 500, code, message or err.description or "")

    @app.errorhandler(OperationalError)
    def database_busy(err: OperationalError):
        # A writer that waited its turn in vain (SQLite's lock, a PostgreSQL lock timeout or a
        # restarting server): nothing was stored, the client may simply try again.
        app.logger.warning("database busy on %s: %s", request.path, str(err.orig)[:200])
        get_session().rollback()
        response, status = render(503, "database_busy", _("数据库正忙，修改未保存，请稍后重试。"))
        response = app.make_response((response, status))
        response.headers["Retry-After"] = str(app.config.get("BUSY_RETRY_AFTER", 2))
        return response

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def out_of_range(err: Exception):
        # A number the database cannot hold that slipped past the input boundary: still 400.
        app.logger.warning("value out of range on %s: %s", request.path, str(err)[:200])
        get_session().rollback()
        return render(400, "out_of_range", _("数值超出允许范围。"))

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        app.logger.exception("Unhandled error on %s", request.path)
        get_session().rollback()
        return render(500, "internal_error", i18n.gettext("服务器内部错误，已记录。请稍后重试。"))


def get_session() -> Session:
    """Return this request's database session."""
    return db.request_session()
