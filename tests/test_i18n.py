"""Every interface string has an English translation, and placeholders survive translation."""

import re

from concord.i18n import catalogue
from concord.i18n_catalogue import interface_strings, missing


def test_every_interface_string_is_translated_to_english():
    absent = missing("en")
    assert not absent, (
        f"{len(absent)} strings lack English (python -m concord.i18n_catalogue): {absent[:10]}"
    )


def test_translations_keep_their_placeholders():
    for source, english in catalogue("en").items():
        assert set(re.findall(r"{(\w+)}", source)) == set(re.findall(r"{(\w+)}", english)), source


def test_the_extractor_finds_strings_in_templates_and_code():
    found = interface_strings()
    assert "用户名或密码错误。" in found  # concord/accounts/users.py
    assert "各市立法进度" in found  # templates/drafting/dashboard.html


def test_english_pages_use_the_catalogue(client):
    client.set_cookie("lang", "en")
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page
    assert catalogue("en")["登录"] in page


def test_the_catalogue_holds_no_translations_of_strings_that_are_gone():
    stale = sorted(set(catalogue("en")) - interface_strings())
    assert not stale, f"remove from concord/translations/en.json: {stale[:10]}"


def test_a_service_error_speaks_the_request_language_and_the_language_ends_with_it(client, session):
    from concord.i18n import gettext
    from tests.helpers import bearer, make_user

    user = make_user(session, "xz")
    client.set_cookie("lang", "en")
    response = client.get("/api/v1/projects/999", headers=bearer(session, user))
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == catalogue("en")["找不到该项目。"]
    # Outside a request (commands, tests) messages are Chinese again.
    assert gettext("找不到该项目。") == "找不到该项目。"
