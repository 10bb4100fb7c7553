"""The demo's residents' opinions: samples/intake.json, stations and a deputy of 克拉玛依市."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from comments.opinions.core.quarters import add_working_days
from comments.opinions.core.tracking import ALPHABET
from comments.opinions.models import (
    DEFAULT_DAYS,
    DIFFICULTY_NAMES,
    HANDLING_NAMES,
    OpinionEvent,
    OpinionIntake,
    Station,
)
from comments.proposals.models import Proposal
from concord.accounts import users as accounts
from concord.accounts.models import User
from concord.clock import BEIJING


def _number(seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    chars = "".join(ALPHABET[b % 32] for b in digest[:12])
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def _at(day: date, hour: int) -> datetime:
    # Stored in UTC: SQLite keeps the wall-clock digits of whatever zone it is given.
    return datetime.combine(day, time(hour, 20), tzinfo=BEIJING).astimezone(UTC)


def load_intake_demo(session: Session, folder: Path) -> list[dict]:
    """Load the stations, deputy and a quarter of opinions unless they are there; return logins."""
    path = folder / "intake.json"
    if not path.exists():
        return []
    spec = json.loads(path.read_text(encoding="utf-8"))
    logins = []
    users = {}
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
        users[u["username"]] = user
        logins.append({**u, "city": user.jurisdiction.name})
    staff = next(iter(users.values()))
    if session.scalar(select(Station).where(Station.code == spec["stations"][0]["code"])):
        return logins
    stations = {}
    for s in spec["stations"]:
        station = Station(
            kind=s["kind"],
            name=s["name"],
            code=s["code"],
            district=s["district"],
            jurisdiction_code=spec["jurisdiction"],
            created_by_id=staff.id,
        )
        session.add(station)
        stations[s["key"]] = station
    suggestions = {}
    for s in spec["suggestions"]:
        suggestion = Proposal(
            kind="suggestion",
            title=s["title"],
            text=s["title"],
            submitters=[],
            jurisdiction_code=spec["jurisdiction"],
            between_sessions=True,
            channel="代表联络站",
            recorded_by_id=staff.id,
        )
        session.add(suggestion)
        suggestions[s["key"]] = suggestion
    session.flush()
    for i, o in enumerate(spec["opinions"]):
        _add_opinion(session, i, o, stations[o["station"]], suggestions, staff)
    session.commit()
    return logins


def _add_opinion(session, i, o, station, suggestions, staff) -> None:
    day = date.fromisoformat(o["date"])
    submitted = _at(day, 9 + i % 9)
    opinion = Proposal(
        kind="opinion",
        title=o["text"][:39] + ("…" if len(o["text"]) > 39 else ""),
        text=o["text"],
        submitters=[],
        jurisdiction_code=station.jurisdiction_code,
        received_on=day,
        channel="代表联络站" if station.kind == "station" else "扫码",
        status=o["status"],
        office=o["assignee"] or "",
        contact=o["contact"],
        reply=o["reply"],
        created_at=submitted,
        updated_at=submitted,
    )
    session.add(opinion)
    session.flush()
    intake = OpinionIntake(
        proposal_id=opinion.id,
        station_id=station.id,
        tracking_number=_number(f"demo-{i}"),
        category=o["category"],
        district=station.district,
        handling=o["handling"],
        difficulty=o["difficulty"],
        client_hash="demo",
        submitted_at=submitted,
    )
    session.add(intake)
    events = [
        OpinionEvent(
            at=submitted, action="received", summary="已收到，等待联络站分办。", public=True
        )
    ]
    if o["handling"]:
        sorted_on = add_working_days(day, 1)
        opinion.deadline = add_working_days(sorted_on, DEFAULT_DAYS[o["difficulty"]])
        events.append(
            OpinionEvent(
                at=_at(sorted_on, 10),
                user_id=staff.id,
                action="triage",
                summary=f"办理方式：{HANDLING_NAMES[o['handling']]}；承办单位：{o['assignee']}；"
                f"答复期限：{opinion.deadline.isoformat()}",
                public=True,
            )
        )
        events.append(
            OpinionEvent(
                at=_at(sorted_on, 10),
                user_id=staff.id,
                action="note",
                summary=f"难易程度：{DIFFICULTY_NAMES[o['difficulty']]}",
                public=False,
            )
        )
    if o["reply"]:
        # Every fourth reply came a little after its deadline, as in life.
        extra = 3 if i % 4 == 1 else -2
        answered = max(opinion.deadline + timedelta(days=extra), day + timedelta(days=2))
        opinion.replied_at = _at(answered, 16)
        events.append(
            OpinionEvent(
                at=opinion.replied_at,
                user_id=staff.id,
                action="triage",
                summary="已答复",
                public=True,
            )
        )
    if o["status"] == "closed":
        events.append(
            OpinionEvent(
                at=opinion.replied_at + timedelta(days=1),
                user_id=staff.id,
                action="triage",
                summary="已办结",
                public=True,
            )
        )
    if o["suggestion"]:
        target = suggestions[o["suggestion"]]
        opinion.fed_into_id = target.id
        events.append(
            OpinionEvent(
                at=submitted + timedelta(days=5),
                user_id=staff.id,
                action="suggestion",
                summary=f"已转为代表建议：{target.title}",
                public=True,
            )
        )
    intake.events.extend(events)
