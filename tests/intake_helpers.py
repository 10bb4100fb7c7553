"""Helpers for the residents' opinion tests: a station, a photo, a filled-in public form."""

from __future__ import annotations

import io
import re

from PIL import Image

from comments.opinions.services import stations
from tests.helpers import csrf_of, make_user


def make_station(session, user=None, *, name="胜利路街道人大代表联络站", kind="station"):
    """Create a station of 克拉玛依市 (by its drafter unless `user` is given)."""
    user = user or make_user(session, "klmy_drafter", jurisdiction="650200")
    return stations.create_station(
        session,
        user,
        kind=kind,
        name=name,
        jurisdiction=user.jurisdiction_code,
        district="克拉玛依区",
    )


def jpeg_with_gps(size=(800, 600)) -> bytes:
    """Return a JPEG carrying EXIF with a GPS position and a camera model."""
    img = Image.new("RGB", size, (120, 160, 90))
    exif = Image.Exif()
    exif[0x0110] = "Phone X"  # Model
    gps = {1: "N", 2: (45.0, 36.0, 0.0), 3: "E", 4: (84.0, 52.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def open_form(client, code) -> dict:
    """Open the public form and return its hidden fields (CSRF token, opened stamp)."""
    page = client.get(f"/intake/{code}").get_data(as_text=True)
    return {
        "csrf_token": csrf_of(client, f"/intake/{code}"),
        "opened": re.search(r'name="opened" value="([^"]+)"', page).group(1),
    }


def backdate(client, app, fields, seconds=30):
    """Return the form fields with an `opened` stamp from `seconds` ago (a person took time)."""
    import secrets
    import time

    from itsdangerous import URLSafeSerializer

    stamp = URLSafeSerializer(app.secret_key, salt="intake-form-opened").dumps(
        [str(time.time() - seconds), secrets.token_urlsafe(18)]
    )
    return {**fields, "opened": stamp}


def submit(
    client,
    app,
    code,
    *,
    text="小区门口路灯坏了一个月，晚上很黑。",
    category="城市建设与管理",
    contact="13800000000",
    photo=None,
    wait=30,
    **extra,
):
    """Fill in and send the public form as a resident who took `wait` seconds."""
    fields = backdate(client, app, open_form(client, code), wait)
    data = {**fields, "category": category, "text": text, "contact": contact, **extra}
    if photo is not None:
        data["photo"] = (io.BytesIO(photo), "photo.jpg")
    return client.post(f"/intake/{code}", data=data, content_type="multipart/form-data")


def tracking_number(response) -> str:
    """Return the tracking number shown after a submission."""
    html = response.get_data(as_text=True)
    return re.search(r'id="tracking-number">([^<]+)<', html).group(1)
