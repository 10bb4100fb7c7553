"""Password hashes: Werkzeug's salted scrypt/pbkdf2 format, kept behind two functions.

Services use these instead of importing Werkzeug, which otherwise belongs to the web layer.
"""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash


def hash_password(password: str) -> str:
    """Return a salted hash of `password` to store."""
    return generate_password_hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    """Return whether `password` matches a stored hash."""
    return check_password_hash(stored_hash, password)
