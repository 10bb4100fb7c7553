"""A project built from samples/huaihai: the lead's common text and three cities' drafts."""

from __future__ import annotations

import json

from tests.helpers import REPO, make_draft, make_project, make_user

SAMPLES = REPO / "samples" / "huaihai"
CITIES = {"321300": "宿迁市", "340600": "淮北市", "341300": "宿州市"}


def manifest() -> dict:
    """Return the true article mapping per city code."""
    data = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    return {c["jurisdiction"]: c for c in data["cities"]}


def huaihai_project(session) -> dict:
    """Create 徐州's project with the common text (征求意见稿) and 宿迁, 淮北, 宿州's drafts."""
    lead = make_user(session, "xuzhou", "320300")
    project = make_project(session, lead, participants=tuple(CITIES))
    common = make_draft(session, lead, project, (SAMPLES / "common-征求意见稿.md").read_text())
    users, drafts = {}, {}
    for code, name in CITIES.items():
        users[code] = make_user(session, f"drafter{code}", code)
        drafts[code] = make_draft(
            session, users[code], project, (SAMPLES / f"{code}-{name}.md").read_text()
        )
    return {"lead": lead, "project": project, "common": common, "users": users, "drafts": drafts}
