"""The demo workspace: loads samples/workspace.json (users, projects, drafts and their rounds)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from concord.accounts import users as accounts
from concord.accounts.models import User
from concord.app import resource_dir
from concord.db import unit_of_work
from drafting.files.reading import parse_path
from drafting.models import Project, StageEvent
from drafting.services import drafts, projects, versions
from drafting.services.revision_import import update_from_document


@dataclass
class DemoSummary:
    """What loading the demo did, and the logins to print."""

    users: list[dict] = field(default_factory=list)
    created_users: int = 0
    created_projects: int = 0
    skipped_projects: int = 0

    def describe(self) -> str:
        lines = [
            f"Demo workspace: {self.created_projects} project(s) loaded, "
            f"{self.skipped_projects} already present; {self.created_users} user(s) created.",
            "Demo logins (user name / password / role / city):",
        ]
        for u in self.users:
            lines.append(f"  {u['username']:<14} {u['password']:<18} {u['role']:<10} {u['city']}")
        return "\n".join(lines)


def samples_dir() -> Path:
    """Return the folder of the demo workspace."""
    return Path(resource_dir("samples"))


def load_demo(
    session: Session, *, folder: Path | None = None, progress: Callable[[str], None] | None = None
) -> DemoSummary:
    """Load the demo workspace; what is already there (same user names, project keys) is kept."""
    folder = folder or samples_dir()
    spec = json.loads((folder / "workspace.json").read_text(encoding="utf-8"))
    say = progress or (lambda _m: None)
    summary = DemoSummary()
    # Index once at the end (the caller's job), not after each of the many commits below.
    session.info["defer_index"] = True
    by_name: dict[str, User] = {}
    for u in spec["users"]:
        user = session.scalar(select(User).where(User.username == u["username"]))
        if user is None:
            user = accounts.create_user(
                session,
                username=u["username"],
                jurisdiction=u["jurisdiction"],
                role=u["role"],
                password=u["password"],
                display_name=u.get("display_name", ""),
            )
            summary.created_users += 1
        by_name[user.username] = user
        summary.users.append(
            {
                "username": u["username"],
                "password": u["password"],
                "role": u["role"],
                "city": user.jurisdiction.name,
            }
        )
    for p in spec["projects"]:
        if session.scalar(select(Project).where(Project.key == p["key"])) is not None:
            summary.skipped_projects += 1
            continue
        say(f"loading demo project {p['title']}")
        _load_project(session, folder, p, by_name)
        if p.get("proposals"):
            from comments.proposals.demo import load_proposals

            project = session.scalar(select(Project).where(Project.key == p["key"]))
            load_proposals(session, project, p["proposals"], by_name)
        summary.created_projects += 1
    from comments.opinions.demo import load_intake_demo  # residents' opinions of 克拉玛依市

    summary.users.extend(load_intake_demo(session, folder))
    session.info.pop("defer_index", None)
    return summary


def _lead_drafter(p: dict, users: dict[str, User], code: str) -> User:
    for user in users.values():
        if user.jurisdiction_code == code and user.role == "drafter":
            return user
    return next(u for u in users.values() if u.role == "admin")


def _load_project(session: Session, folder: Path, p: dict, users: dict[str, User]) -> None:
    lead = _lead_drafter(p, users, p["lead"])
    project = projects.create_project(
        session,
        lead,
        title=p["title"],
        subject=p.get("subject", ""),
        lead=p["lead"],
        participants=[x["jurisdiction"] for x in p["participants"]],
        key=p["key"],
    )
    for part in p["participants"]:
        participant = projects.participant(project, part["jurisdiction"])
        recorder = _lead_drafter(p, users, part["jurisdiction"])
        for event in part.get("stages", []):
            session.add(
                StageEvent(
                    participant=participant,
                    stage=event["stage"],
                    on=date.fromisoformat(event["date"]),
                    recorded_by_id=recorder.id,
                )
            )
        if part.get("stages"):
            participant.stage = part["stages"][-1]["stage"]
    session.commit()
    common = None
    for d in sorted(p["drafts"], key=lambda d: not d.get("common")):
        author = _lead_drafter(p, users, d["jurisdiction"])
        first, *later = d["versions"]
        with unit_of_work(session):
            draft = drafts.add_draft(
                session,
                author,
                project,
                jurisdiction=d["jurisdiction"],
                document=parse_path(folder / first["file"]),
                title=d.get("title"),
                common=bool(d.get("common")),
                source=None if d.get("common") else common,
            )
        versions.create_version(session, author, draft, name=first["name"])
        for v in later:
            update_from_document(
                session,
                author,
                draft,
                parse_path(folder / v["file"]),
                reason=f"{v['name']}（{v.get('date', '')}）",
            )
            versions.create_version(session, author, draft, name=v["name"])
        if d.get("common"):
            common = draft
        elif common is not None:
            # A city adapted the common text's version of the same round name.
            base = next((v for v in common.versions if v.name == first["name"]), None)
            draft.based_on_version_id = base.id if base else None
            session.commit()
    from comments.consultation.demo import load_consultations

    load_consultations(session, project, p, users)
