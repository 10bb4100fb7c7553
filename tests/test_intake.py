"""The public form behind a QR code: submit, photo cleaning, spam and flood refusals, tracking."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import func, select

from comments.opinions.models import OpinionIntake, OpinionPhoto
from comments.proposals.models import Proposal
from tests.intake_helpers import jpeg_with_gps, make_station, submit, tracking_number


def count(session, model):
    session.rollback()  # end the read snapshot: see what the requests committed
    return session.scalar(select(func.count()).select_from(model))


def test_resident_submits_with_photo_and_follows_by_number(app, client, session):
    station = make_station(session)
    r = submit(client, app, station.code, photo=jpeg_with_gps())
    assert r.status_code == 201
    number = tracking_number(r)
    page = client.get(f"/intake/track?number={number.lower().replace('-', ' ')}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "小区门口路灯坏了" in html and "已受理" in html and "胜利路街道" in html
    assert "13800000000" not in html
    stored = session.scalars(select(OpinionPhoto)).one()
    photo = Image.open(io.BytesIO(stored.data))
    assert photo.format == "JPEG" and not photo.getexif()
    opinion = session.scalars(select(Proposal)).one()
    assert opinion.kind == "opinion" and opinion.jurisdiction_code == "650200"


def test_wrong_or_guessed_number_reveals_nothing(app, client, session):
    station = make_station(session)
    submit(client, app, station.code)
    for guess in ("0000-0000-0000", "ABCD", "1", "'; drop table proposal;--"):
        page = client.get("/intake/track", query_string={"number": guess})
        html = page.get_data(as_text=True)
        assert page.status_code == 404
        assert "没有找到这个受理编号" in html and "路灯" not in html


def test_empty_text_is_refused_and_the_form_keeps_what_was_typed(app, client, session):
    station = make_station(session)
    r = submit(client, app, station.code, text="   ", contact="王先生 139")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "请写下您的意见或建议" in html
    assert "王先生 139" in html
    assert count(session, Proposal) == 0


def test_fake_or_oversized_photo_is_refused_and_nothing_is_stored(app, client, session):
    station = make_station(session)
    r = submit(client, app, station.code, photo=b"%PDF-1.4 not an image")
    assert r.status_code == 400 and "不是可以识别的图片" in r.get_data(as_text=True)
    assert "小区门口路灯坏了" in r.get_data(as_text=True)
    big = b"\xff\xd8\xff" + b"0" * (8 * 1024 * 1024 + 10)
    r = submit(client, app, station.code, photo=big)
    assert r.status_code == 400 and "照片过大" in r.get_data(as_text=True)
    assert count(session, Proposal) == 0 and count(session, OpinionIntake) == 0


def test_honeypot_and_instant_submissions_are_refused_plainly(app, client, session):
    station = make_station(session)
    r = submit(client, app, station.code, website="http://spam.example")
    assert r.status_code == 400 and "提交太快了" in r.get_data(as_text=True)
    r = submit(client, app, station.code, wait=0)
    assert r.status_code == 400
    r = submit(client, app, station.code, opened="forged")
    assert r.status_code == 400
    assert count(session, Proposal) == 0


def test_flood_from_one_address_gets_429_with_a_message(app, client, session):
    station = make_station(session)
    for i in range(5):
        assert submit(client, app, station.code, text=f"意见{i}").status_code == 201
    r = submit(client, app, station.code, text="第六条")
    assert r.status_code == 429
    assert "请稍后再提交" in r.get_data(as_text=True)
    assert count(session, Proposal) == 5


def test_flood_to_one_station_gets_429(app, client, session):
    app.config["INTAKE_LIMITS"] = {"per_client": 100, "per_station": 3}
    station = make_station(session)
    for i in range(3):
        assert submit(client, app, station.code, text=f"意见{i}").status_code == 201
    r = submit(client, app, station.code)
    assert r.status_code == 429 and "此联络站刚刚收到大量意见" in r.get_data(as_text=True)


def test_unknown_code_is_404(client):
    assert client.get("/intake/nosuchcode").status_code == 404


def test_expired_form_is_refused_but_keeps_what_was_typed(app, client, session):
    station = make_station(session)
    text = "菜市场门口积水严重，老人走路容易滑倒。"
    r = client.post(f"/intake/{station.code}", data={"category": "其他", "text": text})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "已过期" in html and text in html
    assert count(session, Proposal) == 0
    # The page it came back with carries a fresh token: sending it again works.
    from tests.intake_helpers import backdate

    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    fields = backdate(client, app, {"csrf_token": token})
    r = client.post(f"/intake/{station.code}", data={**fields, "category": "其他", "text": text})
    assert r.status_code == 201
