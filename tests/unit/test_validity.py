"""The rule of which version of a law is in force (search.core.validity)."""

from search.core.validity import Statute, is_current, law_identity, supersession, validity

OLD = Statute("文物保护法(2017-11-04).md", "中华人民共和国文物保护法", "全国", "2017-11-04")
NEW = Statute("文物保护法(2024-11-08).md", "中华人民共和国文物保护法", "全国", "2024-11-08")


def test_the_newer_version_replaces_the_older():
    replaced = supersession([NEW, OLD])
    assert replaced == {OLD.key: NEW.key}
    assert not is_current(OLD, replaced) and is_current(NEW, replaced)
    assert (validity(OLD, replaced), validity(NEW, replaced)) == ("superseded", "in_force")


def test_every_older_version_points_at_the_one_in_force():
    mid = Statute("文物保护法(2015).md", "中华人民共和国文物保护法", "全国", "2015-04-24")
    assert supersession([OLD, mid, NEW]) == {OLD.key: NEW.key, mid.key: NEW.key}


def test_a_newer_version_marked_expired_replaces_nothing():
    repealed = Statute("x(2024).md", NEW.title, "全国", "2024-11-08", expired=True)
    replaced = supersession([OLD, repealed])
    assert replaced == {} and is_current(OLD, replaced)
    assert validity(repealed, replaced) == "expired"


def test_other_places_undated_and_same_day_versions_stand():
    shanghai = Statute("sh.md", NEW.title, "上海", "2025-01-01")
    undated = Statute("u.md", NEW.title, "全国", "")
    twin = Statute("twin.md", NEW.title, "全国", NEW.date)
    assert supersession([NEW, shanghai, undated, twin]) == {}


def test_edition_notes_and_spaces_do_not_make_another_law():
    assert law_identity("中华人民共和国 文物保护法（2017年修正）", "全国") == law_identity(
        "中华人民共和国文物保护法", "全国"
    )
    assert law_identity("文物保护法实施条例", "全国") != law_identity("文物保护法", "全国")
