"""Find the interface strings in templates and code, and which lack an English translation.

Run `python -m concord.i18n_catalogue` to list the missing ones as JSON to fill in.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from concord.i18n import catalogue

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("concord", "drafting", "comments", "search", "templates")
# Calls of `_` with a quoted literal, including gettext(...) imported under that name.
CALL = re.compile(r"""\b_\(\s*(?P<q>['"])(?P<s>(?:\\.|(?!(?P=q)).)*)(?P=q)""", re.S)


def interface_strings() -> set[str]:
    """Return every string passed to `_()` in the packages and templates."""
    found: set[str] = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".py", ".html") or "migrations" in path.parts:
                continue
            found.update(m.group("s") for m in CALL.finditer(path.read_text(encoding="utf-8")))
    # Strings chosen at run time and translated through a variable: stages, role names, what
    # notifications say, the audit log's actions, the precedents' levels.
    from concord.i18n import ROLE_NAMES
    from concord.notifications.events import EVENTS
    from drafting.models import STAGES
    from drafting.services.audit_log import ACTION_NAMES
    from search.web.views import LEVELS as PRECEDENT_LEVELS

    found.update(STAGES)
    found.update(ROLE_NAMES.values())
    # The legality review's finding messages, kinds, severities and levels.
    from drafting.core.review.checks import MESSAGES
    from drafting.core.review.levels import LEVEL_NAMES
    from drafting.core.review.model import KIND_NAMES, SEVERITY_NAMES

    found.update(MESSAGES)
    found.update(LEVEL_NAMES.values(), KIND_NAMES.values(), SEVERITY_NAMES.values())
    found.update(EVENTS.values())
    found.update(ACTION_NAMES.values())
    found.update(PRECEDENT_LEVELS)
    # What consultation comments are: kinds, channels, decisions, the scope a proposal replaces.
    from comments.consultation import models as consultation

    for names in (
        consultation.KIND_NAMES,
        consultation.CHANNEL_NAMES,
        consultation.DECISION_NAMES,
        consultation.SCOPE_NAMES,
    ):
        found.update(names.values())
    return found


def missing(lang: str = "en") -> list[str]:
    """Return the interface strings that the catalogue of `lang` does not translate."""
    have = catalogue(lang)
    return sorted(s for s in interface_strings() if s not in have)


if __name__ == "__main__":
    json.dump({s: "" for s in missing()}, sys.stdout, ensure_ascii=False, indent=1)
