"""Tracking numbers a resident can type back: random, unguessable, forgiving of typing slips."""

from __future__ import annotations

import re
import secrets

# Crockford's base32: no I, L, O or U, so 0/O and 1/I/L cannot be confused.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 3
GROUP_LEN = 4
_SLIPS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_number() -> str:
    """Return a fresh tracking number such as 7K3Q-9XWM-2H4P (60 random bits)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LEN))
    return "-".join(chars[i : i + GROUP_LEN] for i in range(0, len(chars), GROUP_LEN))


def normalise(typed: str) -> str | None:
    """Return the canonical form of a typed number, or None when it cannot be one."""
    chars = re.sub(r"[\s\-_.]", "", typed or "").upper().translate(_SLIPS)
    if len(chars) != GROUPS * GROUP_LEN or any(c not in ALPHABET for c in chars):
        return None
    return "-".join(chars[i : i + GROUP_LEN] for i in range(0, len(chars), GROUP_LEN))
