"""The main pages in English carry no Chinese outside the laws' text and other user data.

Every run of Han characters on an English page must occur in what users stored (titles, names,
provisions, comments…) or be a label derived from the law's structure (第三条, （一）)."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import JSON, String, Text, select

from concord.db import Base
from concord.i18n import LANGUAGES
from concord.schema import import_models

HAN = re.compile(r"[\u3400-\u9fff]+")
# Labels and numbers derived from the structure of a law (第六条第二款 too), units of dates.
DERIVED = re.compile(
    r"^((第[〇零一二三四五六七八九十百千0-9]+[编章节条款项目号]?(之[一二三四五六七八九十]+)?)+"
    r"|[一二三四五六七八九十]+)$"
)


def _user_data(session) -> str:
    """Return every string users stored, one blob to search in."""
    import_models()
    parts: list[str] = []
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))]
        if not columns:
            continue
        for row in session.execute(select(*columns)):
            parts.extend(
                v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in row if v
            )
    return "\n".join(parts)


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return html


@pytest.fixture
def demo(app, session):
    from concord.demo import load_demo

    with app.app_context():
        from concord.db import request_session

        load_demo(request_session())
    return app


def _pages(client, session):
    from comments.consultation.models import Round
    from drafting.models import Draft, Project

    project = session.scalars(select(Project).order_by(Project.id)).first()
    draft = session.scalars(select(Draft).order_by(Draft.id)).first()
    round_ = session.scalars(select(Round).order_by(Round.id)).first()
    pages = [
        "/",
        "/projects",
        f"/projects/{project.id}",
        f"/projects/{project.id}/audit",
        f"/drafts/{draft.id}",
        "/comments/attention",
        "/comments/outcomes",
        "/proposals",
        "/search",
        "/notifications",
        "/account",
        "/account/tokens",
        "/admin/users",
    ]
    if round_ is not None:
        pages.append(f"/rounds/{round_.id}")
    return pages


STATION_PAGES = ["/stations", "/opinions", "/reports/quarterly?quarter=2026Q4"]


@pytest.mark.parametrize("who", ["xz_admin", "klmy_drafter"])
def test_english_pages_have_no_untranslated_chinese(client, session, demo, auth, who):
    auth.login(who, f"demo-{who.replace('_', '-')}")
    client.set_cookie("lang", "en")
    data = _user_data(session)
    untranslated: dict[str, set[str]] = {}
    paths = _pages(client, session) if who == "xz_admin" else STATION_PAGES
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, path
        for run in HAN.findall(_visible_text(answer.get_data(as_text=True))):
            if run in data or DERIVED.match(run) or run in LANGUAGES.values():
                continue
            untranslated.setdefault(run, set()).add(path)
    assert not untranslated, "\n".join(f"{k} {sorted(v)}" for k, v in sorted(untranslated.items()))
