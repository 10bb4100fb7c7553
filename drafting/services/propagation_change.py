"""One common-text change offered to a city: its kind, the city's counterpart, how it applies."""

from __future__ import annotations

from dataclasses import dataclass, field

from drafting.core.patching import Hunk, describe
from drafting.core.tree import Node
from drafting.models import Draft

# clean / fuzzy apply; failed, structure, no_counterpart cannot be applied; already needs nothing.
APPLICABLE = ("clean", "fuzzy", "already")
KINDS = ("modified", "inserted", "deleted", "moved", "split", "merged", "heading")
# Decisions whose common_text is the article's text the city last synchronised with.
TEXT_KINDS = ("modified", "inserted", "split", "merged")


@dataclass
class Change:
    """One common-text change since a city's reference point, and how it would apply."""

    city: Draft
    common_id: int
    common_label: str
    common_revision: int
    old_text: str
    new_text: str
    reference: str
    city_ids: list[int]
    city_label: str
    city_text: str
    city_revision: int | None
    status: str
    proposed: str | None
    failed: list[Hunk]
    applied: list[Hunk]
    kind: str = "modified"
    # Where the city's provision goes (inserted, moved, a new division): after / parent / at_start.
    place: dict = field(default_factory=dict)
    # The common text's article or division as it stands now (inserted, heading).
    node: Node | None = None
    # For an inserted article: the common text's article numbers and the city's counterparts.
    cited: dict[int, int] = field(default_factory=dict)
    # For a new division: the city's articles to gather into it, in the common text's order.
    gather: list[int] = field(default_factory=list)
    # For a split or merge: the other common-text article, and the texts each decision records.
    partner: int | None = None
    settled_text: str | None = None
    partner_text: str = ""
    # For a heading: added, renamed or removed; the division's kind (chapter, section).
    action: str = ""
    division: str = ""

    @property
    def applicable(self) -> bool:
        return self.status in APPLICABLE

    def failures(self) -> list[str]:
        """Return a readable line per hunk that found no place in the city's text."""
        return [describe(h) for h in self.failed]

    def to_json(self) -> dict:
        out = {
            "kind": self.kind,
            "draft": self.city.id,
            "jurisdiction": self.city.jurisdiction_code,
            "common": {"id": self.common_id, "label": self.common_label},
            "common_revision": self.common_revision,
            "reference": self.reference,
            "old_text": self.old_text,
            "new_text": self.new_text,
            "city": [{"id": i} for i in self.city_ids],
            "city_label": self.city_label,
            "city_text": self.city_text,
            "city_revision": self.city_revision,
            "status": self.status,
            "proposed": self.proposed,
            "failed_hunks": [h.to_json() for h in self.failed],
            "applied_hunks": [h.to_json() for h in self.applied],
        }
        if self.place:
            out["place"] = dict(self.place)
        if self.partner is not None:
            out["partner"] = self.partner
        if self.kind == "heading":
            out["action"] = self.action
            out["division"] = self.division
        return out


def subtree(node: Node) -> list[Node]:
    """Return a node and everything below it, in reading order."""
    out = [node]
    for child in node.children:
        out.extend(subtree(child))
    return out


def newest_revision(nodes: list[Node]) -> int:
    """Return the newest revision id among some nodes."""
    return max((n.revision or 0) for n in nodes)
