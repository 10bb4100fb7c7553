"""Search: precedents are found by every user; workspace documents only by those who may see them.

A draft's, version's, proposal's or opinion's row is found within the projects the user sees
(`workspace.projects_filter`; search's callers pass their keys); a proposal's or opinion's also
by the jurisdiction that recorded it (as `sees_proposal`). search/services/filters.py writes the
same rule as SQL for lists of hits.
"""

from __future__ import annotations

from collections.abc import Iterable

OWN_RECORDS = ("proposal", "opinion")


def sees_document(
    fields: dict, projects: Iterable[str], own_jurisdiction: str | None = None
) -> bool:
    """A precedent is found by all; a workspace row within the allowed projects or its recorder."""
    if fields.get("kind") == "precedent":
        return True
    if str(fields.get("project_id")) in {str(p) for p in projects}:
        return True
    return bool(
        own_jurisdiction
        and fields.get("kind") in OWN_RECORDS
        and fields.get("owner_code") == own_jurisdiction
    )
