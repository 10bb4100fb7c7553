"""The demo's proposals: recorded by each city's drafter and linked to the demo drafts' clauses."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from comments.proposals.services.fields import read_fields
from comments.proposals.services.links import add_link
from comments.proposals.services.proposals import add_proposal
from concord.accounts.models import User
from drafting.models import Draft, Project
from drafting.services.drafts import load_tree


def _labels_in(snapshot: dict) -> dict[str, dict]:
    out: dict[str, dict] = {}
    stack = list(snapshot.get("body", []))
    while stack:
        node = stack.pop()
        if node.get("kind") == "article" and node.get("id") is not None:
            out[node["label"]] = node
        stack.extend(node.get("children", []))
    return out


def _snapshot_text(node: dict) -> str:
    """Return an article's text in a version as the links read it (see links.node_text)."""
    lines = [node.get("text") or ""]

    def walk(n: dict) -> None:
        prefix = n.get("label", "") if n.get("kind") in ("item", "subitem") else ""
        if n.get("text"):
            lines.append(f"{prefix}{n['text']}")
        for child in n.get("children", []):
            walk(child)

    for child in node.get("children", []):
        walk(child)
    return "\n".join(line for line in lines if line)


def _current_labels(session: Session, draft: Draft) -> dict[str, int]:
    tree = load_tree(session, draft)
    return {n.label: n.id for n in tree.articles()}


def load_proposals(session: Session, project: Project, specs: list[dict], users: dict[str, User]):
    """Record the project's demo proposals, chain them, and link them to clauses; commit once."""
    common = next((d for d in project.drafts if d.is_common), None)
    by_version = {v.name: _labels_in(v.snapshot) for v in (common.versions if common else [])}
    city_labels: dict[str, dict[str, int]] = {}
    recorded: dict[str, object] = {}

    def recorder(code: str) -> User:
        staff = [u for u in users.values() if u.jurisdiction_code == code]
        return next((u for u in staff if u.role == "drafter"), None) or next(
            u for u in users.values() if u.role == "admin"
        )

    # Motions first, then suggestions, then opinions, so that what they feed already exists.
    order = {"motion": 0, "expert": 1, "suggestion": 2, "opinion": 3}
    for spec in sorted(specs, key=lambda s: order.get(s["kind"], 9)):
        data = {k: v for k, v in spec.items() if k not in ("links", "city_links", "fed_into")}
        data.setdefault("submitters", spec.get("submitted_by", ""))
        data["project"] = project.id
        target = recorded.get(spec.get("fed_into") or "")
        data["fed_into"] = target.id if target is not None else None
        fields, errors = read_fields(data)
        if errors:
            raise ValueError(f"demo proposal {spec.get('number')}: {errors}")
        user = recorder(spec["jurisdiction"])
        proposal = add_proposal(session, user, fields)
        if spec.get("replied_on"):
            from datetime import UTC, datetime

            proposal.replied_at = datetime.combine(
                date.fromisoformat(spec["replied_on"]), datetime.min.time(), UTC
            )
        recorded[spec["number"]] = proposal
        for link in spec.get("links", []):
            # The link was made when that version was current: it remembers the label and text
            # then, so the page shows the renumbering and changes since.
            node = by_version.get(link.get("version", "征求意见稿"), {})[link["article"]]
            if node["id"] in {x.provision_id for x in proposal.links}:
                continue  # the same article under its label in another version
            view = add_link(session, user, proposal, node["id"], note=link.get("note", ""))
            view.link.label_at_link = link["article"]
            view.link.text_at_link = _snapshot_text(node)
        for link in spec.get("city_links", []):
            code = link["jurisdiction"]
            draft = next(
                d for d in project.drafts if d.jurisdiction_code == code and not d.is_common
            )
            if code not in city_labels:
                city_labels[code] = _current_labels(session, draft)
            add_link(
                session,
                recorder(code) if user.jurisdiction_code != code else user,
                proposal,
                city_labels[code][link["article"]],
                note=link.get("note", ""),
            )
    session.commit()
    return list(recorded.values())
