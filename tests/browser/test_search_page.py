"""A legal adviser searches precedents and opens a hit with the article in view."""

import pytest

from search.importer import import_directory
from tests.test_search_views import STATUTE


@pytest.fixture
def statutes(demo_app, tmp_path):
    src = tmp_path / "statutes" / "local" / "某市"
    src.mkdir(parents=True)
    (src / "某市水污染防治条例(2020-05-14).md").write_text(STATUTE, encoding="utf-8")
    import_directory(demo_app.extensions["concord_engine"], tmp_path / "statutes")


def test_adviser_searches_and_opens_a_hit(statutes, page):
    from tests.browser.helpers import sign_in

    sign_in(page, "adviser")
    page.get_by_role("link", name="法规检索").click()
    page.get_by_label("检索词").fill('"排污许可证" 罚款')
    page.get_by_role("button", name="检索").click()
    group = page.locator(".law-group").first
    assert "某市水污染防治条例" in group.inner_text()
    assert group.locator(".snippet b").first.inner_text() in ("排污许可证", "罚款")
    group.locator("a.hit-label").first.click()
    target = page.locator(".law-article.target")
    target.wait_for()
    assert target.get_attribute("id") == "第三条"
    assert target.is_visible()


def test_search_page_says_the_index_is_being_built_then_shows_results(demo_app, tmp_path, page):
    import threading

    from tests.browser.helpers import sign_in

    src = tmp_path / "statutes" / "local" / "某市"
    src.mkdir(parents=True)
    (src / "某市水污染防治条例(2020-05-14).md").write_text(STATUTE, encoding="utf-8")
    (src / "某市湖泊保护条例.md").write_text("# 某市湖泊保护条例\n\n第一条 保护湖泊。\n", "utf-8")
    hold = threading.Event()
    importing = threading.Thread(
        target=import_directory,
        args=(demo_app.extensions["concord_engine"], tmp_path / "statutes"),
        kwargs={"progress": lambda done, total, path: hold.wait(30)},
    )
    importing.start()
    try:
        sign_in(page, "adviser")
        page.get_by_role("link", name="法规检索").click()
        page.get_by_label("检索词").fill("排污许可证")
        page.get_by_role("button", name="检索").click()
        status = page.get_by_role("status").first
        assert "法规索引正在建立" in status.inner_text() and "0 / 2" in status.inner_text()
        assert "仍在建立" in page.locator(".empty").inner_text()
    finally:
        hold.set()
        importing.join(30)
    page.reload()
    assert "某市水污染防治条例" in page.locator(".law-group").first.inner_text()
    assert page.get_by_role("status").count() == 0
