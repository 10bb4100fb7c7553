"""Search: precedents are found by every user; workspace documents only in projects they see.

The projects a user sees come from `workspace.projects_filter` (search's callers pass their keys).
"""

from __future__ import annotations

from collections.abc import Iterable


def sees_document(fields: dict, projects: Iterable[str]) -> bool:
    """A precedent is found by all; a workspace document only within the allowed projects."""
    return fields.get("kind") == "precedent" or fields.get("project") in set(projects)
