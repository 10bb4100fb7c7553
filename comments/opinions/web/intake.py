"""Public pages, no account: the opinion form behind a QR code, and following it by number."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import timedelta

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.exceptions import BadRequest

from comments.opinions.models import CATEGORIES, RATING_NAMES, RATINGS, STATUS_NAMES
from comments.opinions.services import intake, satisfaction, stations
from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from drafting.errors import BadInput, Conflict, NotFound

bp = Blueprint("intake", __name__, url_prefix="/intake")


def _stamp_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="intake-form-opened")


def _read_stamp(stamp: str) -> tuple[float | None, str]:
    """Return how long ago the form was opened and its one-time nonce; (None, "") if forged."""
    try:
        opened, nonce = _stamp_serializer().loads(stamp)
        seconds = time.time() - float(opened)
    except (BadSignature, TypeError, ValueError):
        return None, ""
    if not isinstance(nonce, str) or seconds > intake.STAMP_LIFETIME.total_seconds():
        return None, ""
    return seconds, nonce[:40]


def _client_hash() -> str:
    """Return a keyed hash of the sender's address: enough to throttle, useless to identify."""
    key = current_app.secret_key.encode() if isinstance(current_app.secret_key, str) else b""
    addr = (request.remote_addr or "").encode()
    return hmac.new(key, addr, hashlib.sha256).hexdigest()


def limits() -> intake.Limits:
    """Return the throttling limits, configurable as INTAKE_LIMITS (a dict of Limits' fields)."""
    conf = dict(current_app.config.get("INTAKE_LIMITS") or {})
    for name in ("client_window", "station_window"):
        if name in conf and not isinstance(conf[name], timedelta):
            conf[name] = timedelta(seconds=float(conf[name]))
    return intake.Limits(**conf)


def _form_page(station, *, values=None, error=None, field=None, status=200):
    stamp = _stamp_serializer().dumps([str(time.time()), secrets.token_urlsafe(18)])
    html = render_template(
        "opinions/form.html",
        station=station,
        categories=CATEGORIES,
        values=values or {},
        error=error,
        field=field,
        stamp=stamp,
    )
    return html, status


def _track_page(number: str, *, error=None, field=None, values=None, status=200):
    """Render the tracking page of a number, with the rating form when a rating is due."""
    s = request_session()
    item = rating = None
    if number:
        try:
            item = intake.track(s, number)
        except NotFound as err:
            error, status = err.message, 404
        else:
            rating = satisfaction.public_rating(s, number)
    html = render_template(
        "opinions/track.html",
        item=item,
        number=number,
        error=error,
        field=field,
        values=values or {},
        rating=rating,
        ratings=RATINGS,
        rating_names=RATING_NAMES,
        rated=request.args.get("rated") == "1",
        statuses=STATUS_NAMES,
    )
    return html, status


@bp.get("/track")
def track():
    """Show the status and reply of one submission to whoever holds its number."""
    return _track_page(request.args.get("number", "").strip())


@bp.post("/track")
def rate():
    """Take a resident's rating of the reply (满意 / 基本满意 / 不满意) by tracking number."""
    s = request_session()
    number = request.form.get("number", "").strip()
    values = {"rating": request.form.get("rating", ""), "remark": request.form.get("remark", "")}
    try:
        with unit_of_work(s):
            satisfaction.rate_reply(
                s, number, values["rating"], values["remark"], client_hash=_client_hash()
            )
    except NotFound as err:
        return _track_page(number, error=err.message, status=404)
    except (BadInput, Conflict, intake.Throttled) as err:
        field = err.details.get("field")
        return _track_page(number, error=err.message, field=field, values=values, status=err.status)
    return redirect(url_for("intake.track", number=number, rated=1) + "#rating")


@bp.get("/<code>")
def form(code: str):
    """Show a station's public opinion form."""
    station = stations.station_by_code(request_session(), code)
    return _form_page(station)


@bp.post("/<code>")
def submit(code: str):
    """Take a resident's opinion; on any problem show the form again with what they typed."""
    s = request_session()
    station = stations.station_by_code(s, code)
    upload = request.files.get("photo")
    photo = upload.read() if upload is not None and upload.filename else None
    values = {
        "category": request.form.get("category", ""),
        "text": request.form.get("text", ""),
        "contact": request.form.get("contact", ""),
    }
    seconds, nonce = _read_stamp(request.form.get("opened", ""))
    form = intake.Submission(
        **values,
        photo=photo,
        trap=request.form.get("website", ""),
        seconds_on_form=seconds,
        stamp=nonce,
    )
    try:
        with unit_of_work(s):
            received = intake.submit_opinion(
                s, code, form, client_hash=_client_hash(), limits=limits()
            )
    except (BadInput, intake.Throttled, intake.Replayed) as err:
        field = err.details.get("field")
        return _form_page(station, values=values, error=err.message, field=field, status=err.status)
    html = render_template(
        "opinions/thanks.html",
        station=station,
        number=received.tracking_number,
        expected=intake.expected_reply_by(s, received),
    )
    return html, 201


@bp.errorhandler(BadRequest)
def expired_form(err: BadRequest):
    """A form whose session expired (CSRF) comes back with what the resident typed, not lost."""
    code = (request.view_args or {}).get("code")
    if request.endpoint != "intake.submit" or not code:
        message = getattr(err, "concord_message", None) or _("请求无效。")
        return render_template("error.html", status=400, message=message), 400
    try:
        station = stations.station_by_code(request_session(), code)
    except NotFound as missing:
        return render_template("error.html", status=404, message=missing.message), 404
    values = {k: request.form.get(k, "") for k in ("category", "text", "contact")}
    message = _("页面停留太久已过期。您填写的内容已保留，照片需重新选择，请再点一次“提交”。")
    return _form_page(station, values=values, error=message, field="form", status=400)
