"""Users, roles, API tokens and sign-in with throttling of repeated failures."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from concord.accounts.models import ROLES, ApiToken, LoginAttempt, User
from concord.accounts.passwords import hash_password, password_matches
from concord.db import utcnow
from concord.i18n import gettext as _
from concord.limits import MAX_EMAIL
from drafting.errors import BadInput, Conflict, NotAuthenticated, NotFound
from drafting.models import Jurisdiction

# User and ApiToken are re-exported for callers that deal only with accounts.
__all__ = ["User", "ApiToken", "create_user", "authenticate", "issue_token"]

# Failures are counted per (user name, client address) and per client address. A pair must wait
# after FREE_FAILURES failures, the wait doubling with each further one up to MAX_WAIT seconds;
# an address that fails for many names must wait too. Failures from other addresses never hold
# up a user's own sign-in, so nobody can lock a colleague out by guessing at their name.
FREE_FAILURES = 3
ADDRESS_FREE_FAILURES = 20
MAX_WAIT = 300
# Failures older than this are forgotten.
WINDOW_SECONDS = 15 * 60
_DUMMY_HASH = hash_password("concord-timing-equaliser")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def clean_email(value: str | None) -> str:
    """Return a plausible e-mail address, or '' for none; refuse anything else."""
    value = (value or "").strip()
    if not value:
        return ""
    local, _at, domain = value.rpartition("@")
    if not local or "." not in domain or len(value) > MAX_EMAIL or any(c.isspace() for c in value):
        raise BadInput(_("电子邮件地址无效。"), field="email")
    return value


def create_user(
    session: Session,
    *,
    username: str,
    jurisdiction: str,
    role: str,
    password: str | None = None,
    display_name: str = "",
    platform: bool = False,
    email: str = "",
) -> User:
    """Create a user (the first one, or `platform`, an admin of the whole platform); commit."""
    first = session.scalar(select(User.id).limit(1)) is None
    user = add_user(
        session,
        username=username,
        jurisdiction=jurisdiction,
        role=role,
        password=password,
        display_name=display_name,
    )
    user.platform_admin = role == "admin" and (platform or first)
    user.email = clean_email(email)
    session.commit()
    return user


def add_user(
    session: Session,
    *,
    username: str,
    jurisdiction: str,
    role: str,
    password: str | None = None,
    display_name: str = "",
) -> User:
    """Add a user of `jurisdiction` with `role` (a scrypt hash of the password); flush only."""
    username = username.strip()
    if not username or len(username) > 80 or any(c.isspace() for c in username):
        raise BadInput(_("用户名不能为空、不能含空格，且不超过 80 个字符。"))
    if role not in ROLES:
        raise BadInput(_("未知角色“{role}”；可选：{roles}。", role=role, roles=", ".join(ROLES)))
    if session.get(Jurisdiction, jurisdiction) is None:
        raise BadInput(_("未知的行政区划代码“{code}”。", code=jurisdiction))
    if session.scalar(select(User).where(User.username == username)):
        raise Conflict(_("用户“{name}”已存在。", name=username))
    if password is not None and len(password) < 8:
        raise BadInput(_("密码至少需要 8 个字符。"))
    user = User(
        username=username,
        display_name=display_name,
        jurisdiction_code=jurisdiction,
        role=role,
        password_hash=hash_password(password) if password else "!",
    )
    session.add(user)
    session.flush()
    return user


def _keys(username: str, address: str) -> tuple[str, str]:
    name = username.strip().lower()[:80]
    return f"u:{name}|{address[:39]}", f"a:{address[:39]}"


def _wait(attempt: LoginAttempt | None, free: int) -> int:
    if attempt is None or attempt.last_failure_at is None or attempt.failures < free:
        return 0
    elapsed = (utcnow() - _aware(attempt.last_failure_at)).total_seconds()
    if elapsed > WINDOW_SECONDS:
        return 0
    wait = min(MAX_WAIT, 2 ** (attempt.failures - free + 1))
    return max(0, int(wait - elapsed + 0.999))


def login_wait(session: Session, username: str, address: str = "") -> int:
    """Return how many seconds a sign-in as `username` from `address` must still wait."""
    pair, addr = _keys(username, address)
    return max(
        _wait(session.get(LoginAttempt, pair), FREE_FAILURES),
        _wait(session.get(LoginAttempt, addr), ADDRESS_FREE_FAILURES),
    )


def _claim_check(session: Session, key: str, free: int) -> int:
    """Reserve one password check for `key` atomically; return 0, or the seconds still to wait.

    A check counts as a failure from the moment it is reserved (a success takes it back). The
    count is read under a row lock (SQLite: the write lock of the request), so of twenty
    guesses sent at once exactly the allowed number are checked, on both databases.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(
        insert(LoginAttempt)
        .values(key=key, failures=0, last_failure_at=None)
        .on_conflict_do_nothing()
    )
    failures, last = session.execute(
        select(LoginAttempt.failures, LoginAttempt.last_failure_at)
        .where(LoginAttempt.key == key)
        .with_for_update()
    ).one()
    now = utcnow()
    expired = last is None or (now - _aware(last)).total_seconds() > WINDOW_SECONDS
    if not expired:
        wait = _wait(LoginAttempt(failures=failures, last_failure_at=last), free)
        if wait:
            return wait
    session.execute(
        update(LoginAttempt)
        .where(LoginAttempt.key == key)
        .values(failures=1 if expired else failures + 1, last_failure_at=now)
        .execution_options(synchronize_session=False)
    )
    return 0


def _release(session: Session, key: str) -> None:
    """Take back a reserved check that turned out to be a success (or was not made)."""
    session.execute(
        update(LoginAttempt)
        .where(LoginAttempt.key == key, LoginAttempt.failures > 0)
        .values(failures=LoginAttempt.failures - 1)
        .execution_options(synchronize_session=False)
    )


def authenticate(session: Session, username: str, password: str, address: str = "") -> User:
    """Return the user whose credentials these are; the same error whether or not they exist."""
    pair, addr = _keys(username, address)
    user = session.scalar(select(User).where(User.username == username.strip()))
    wait = _claim_check(session, addr, ADDRESS_FREE_FAILURES)
    if not wait:
        wait = _claim_check(session, pair, FREE_FAILURES)
        if wait:
            _release(session, addr)
    # The reservation is committed before the (slow, deliberate) hash check, so concurrent
    # guesses see it and nobody holds a lock while scrypt runs.
    session.commit()
    if wait:
        raise NotAuthenticated(_("尝试次数过多，请 {n} 秒后再试。", n=wait), retry_after=wait)
    valid_hash = (
        user is not None and user.active and user.password_hash.startswith(("scrypt", "pbkdf2"))
    )
    # Check a dummy hash for unknown users so that timing does not reveal which names exist.
    ok = password_matches(user.password_hash if valid_hash else _DUMMY_HASH, password)
    if ok and valid_hash:
        session.execute(delete(LoginAttempt).where(LoginAttempt.key == pair))
        _release(session, addr)
        session.commit()
        return user
    raise NotAuthenticated(_("用户名或密码错误。"))


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(session: Session, user: User, *, name: str = "", days: int | None = None) -> str:
    """Create an API token for `user`, valid `days` days (None: until revoked); return it once."""
    if days is not None and not 1 <= days <= 3650:
        raise BadInput(_("令牌有效期应为 1 至 3650 天。"))
    raw = "cc_" + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            name=name[:80],
            token_hash=_hash_token(raw),
            prefix=raw[:10],
            expires_at=utcnow() + timedelta(days=days) if days else None,
        )
    )
    session.commit()
    return raw


def revoke_token(session: Session, user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s tokens."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("找不到该令牌。"))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.commit()
    return token


def token_expired(token: ApiToken) -> bool:
    """Return whether a token's expiry date has passed."""
    return token.expires_at is not None and _aware(token.expires_at) <= utcnow()


def user_for_token(session: Session, raw: str) -> User | None:
    """Return the active user owning an unrevoked token, or None."""
    if not raw:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(raw)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if token_expired(token):
        return None
    return token.user


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """Return a user's tokens, newest first."""
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def add_jurisdiction(
    session: Session, *, code: str, name: str, level: str = "county", parent: str | None = None
) -> Jurisdiction:
    """Add a jurisdiction (a county or district, say) by its GB/T 2260 code."""
    from drafting.models import LEVELS

    code = code.strip()
    if not code.isdigit() or len(code) != 6:
        raise BadInput(_("行政区划代码应为 6 位数字（GB/T 2260），收到“{code}”。", code=code))
    if level not in LEVELS:
        raise BadInput(
            _("未知层级“{level}”；可选：{levels}。", level=level, levels=", ".join(LEVELS))
        )
    if session.get(Jurisdiction, code) is not None:
        raise Conflict(_("行政区划 {code} 已存在。", code=code))
    if parent is not None and session.get(Jurisdiction, parent) is None:
        raise BadInput(_("未知的上级行政区划代码“{code}”。", code=parent))
    if not name.strip():
        raise BadInput(_("名称不能为空。"))
    j = Jurisdiction(code=code, name=name.strip(), level=level, parent_code=parent)
    session.add(j)
    session.commit()
    return j
