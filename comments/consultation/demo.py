"""The demo workspace's rounds, comments and dispositions (samples/workspace.json), via services."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from comments.consultation.services.commenting import build_comment
from comments.consultation.services.dispositions import build_disposition
from comments.consultation.services.rounds import build_round
from concord.accounts.models import User
from drafting.errors import BadDocument
from drafting.models import Project, Provision


def _find(snapshot: dict, label: str, quote: str | None) -> dict:
    """Return the node of the version's article `label` (or its clause/item) holding the quote."""
    for node in _walk(snapshot["body"]):
        if node["kind"] == "article" and node.get("label") == label:
            for part in _walk([node]):
                if not quote or quote in (part.get("text") or ""):
                    return part | {"article_label": label}
            raise BadDocument(f"demo: “{quote}” is not in {label}")
    raise BadDocument(f"demo: no {label} in the version")


def _walk(nodes: list[dict]):
    for node in nodes:
        yield node
        yield from _walk(node.get("children", []))


def load_consultations(
    session: Session, project: Project, spec: dict, users: dict[str, User]
) -> int:
    """Open the project's demo rounds and add their comments and dispositions; return how many."""
    drafts = {("common" if d.is_common else d.jurisdiction_code): d for d in project.drafts}
    rounds = []
    for r in spec.get("rounds", []):
        draft = drafts[r["draft"]]
        version = next(v for v in draft.versions if v.name == r["version"])
        opener = next(
            u
            for u in users.values()
            if u.role == "drafter" and u.jurisdiction_code == draft.jurisdiction_code
        )
        rounds.append(
            (
                build_round(
                    session,
                    opener,
                    draft,
                    title=r["title"],
                    opens=date.fromisoformat(r["opens"]),
                    closes=date.fromisoformat(r["closes"]),
                    invited=r["invited"],
                    visibility=r.get("visibility", "shared"),
                    version_id=version.id,
                ),
                version,
            )
        )
    count = 0
    for c in spec.get("comments", []):
        round_, version = rounds[c["round"]]
        node = _find(version.snapshot, c["article"], c.get("quote"))
        provision = session.get(Provision, node["id"])
        author = users[c["author"]]
        comment = build_comment(
            session,
            author,
            provision,
            round_,
            body=c["body"],
            kind=c.get("kind") or ("amend" if c.get("proposed_text") else "general"),
            quote=c.get("quote"),
            proposed_text=c.get("proposed_text"),
            jurisdiction=c.get("jurisdiction") or author.jurisdiction_code,
            unit=c.get("unit", ""),
            channel=c.get("channel", "online"),
            received_on=date.fromisoformat(c["received_on"]) if c.get("received_on") else None,
            seen=(node.get("text") or "", node.get("revision"), node["article_label"]),
        )
        # Dates as they were: during the round, decisions after it closed.
        sent = comment.received_on or round_.opens + timedelta(days=count % 20)
        comment.created_at = datetime.combine(min(sent, round_.closes), time(9), tzinfo=UTC)
        decision = (c.get("disposition") or {}).get("decision")
        if decision:
            disposition = build_disposition(
                session,
                users[c["disposition"]["by"]],
                comment,
                decision=decision,
                reason=c["disposition"].get("reason") or "",
            )
            decided = round_.closes + timedelta(days=7)
            disposition.decided_at = datetime.combine(decided, time(15), tzinfo=UTC)
        count += 1
    session.commit()
    return count
