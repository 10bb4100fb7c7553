"""CONCORD_PUBLIC_URL is the address printed in QR codes and posters; without it, the stations
page warns when the address it would print is a loopback one no resident can open."""

from __future__ import annotations

from concord.web.public_address import is_loopback
from tests.helpers import bearer
from tests.intake_helpers import make_station


def test_the_stations_page_warns_about_a_loopback_address(client, session, auth):
    make_station(session)
    auth.login("klmy_drafter")
    page = client.get("/stations").get_data(as_text=True)
    assert 'id="loopback-warning"' in page and "CONCORD_PUBLIC_URL" in page


def test_the_public_url_goes_into_addresses_and_silences_the_warning(app, client, session, auth):
    app.config["PUBLIC_URL"] = "https://rd.example.gov.cn"
    station = make_station(session)
    auth.login("klmy_drafter")
    page = client.get("/stations").get_data(as_text=True)
    assert 'id="loopback-warning"' not in page
    assert f"https://rd.example.gov.cn/intake/{station.code}" in page
    from concord.accounts.models import User

    user = session.query(User).first()
    made = client.post(
        "/api/v1/stations",
        json={"name": "新联络站", "kind": "station"},
        headers=bearer(session, user),
    )
    assert made.get_json()["url"].startswith("https://rd.example.gov.cn/intake/")


def test_loopback_addresses_are_recognised():
    for url in ("http://127.0.0.1:5000", "http://localhost", "http://[::1]:8000/"):
        assert is_loopback(url)
    assert not is_loopback("https://rd.example.gov.cn")
