"""Counting the public form's submissions atomically, and each opened form used once.

Two submissions that arrive together must not both see "4 of 5 used" and both be admitted: each
one first takes the sender's gate row and the station's row (in that order, so two never wait on
each other crosswise), counts, stores and commits; the next one counts after. On SQLite the
write lock taken at the start of a writing request already serialises them; on PostgreSQL the
row locks do. A form's stamp is recorded as used in the same transaction, so a replayed form
fails on the stamp's primary key however many copies arrive at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from comments.opinions.models import IntakeGate, IntakeStamp, OpinionIntake, Station
from concord.i18n import gettext as _
from drafting.errors import ConcordError

# How long an opened form may wait before it is sent; used stamps are kept this long.
STAMP_LIFETIME = timedelta(days=1)


class Throttled(ConcordError):
    """Too many submissions from one address or to one station in a short time."""

    status = 429
    code = "too_many_requests"


class Replayed(ConcordError):
    """A form already submitted once, sent again."""

    status = 409
    code = "form_already_used"


@dataclass(frozen=True)
class Limits:
    """How much one address and one station may send, and how fast a person fills the form."""

    per_client: int = 5
    client_window: timedelta = timedelta(minutes=10)
    per_station: int = 300
    station_window: timedelta = timedelta(minutes=10)
    min_fill_seconds: float = 3.0


def _insert_ignore(session: Session, model, **values) -> None:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing())


def hold_gates(session: Session, station_id: int, client_hash: str, now: datetime) -> None:
    """Lock the sender's gate row, then the station's row, until this transaction ends."""
    key = f"client:{client_hash[:64]}"
    touch = (
        update(IntakeGate)
        .where(IntakeGate.key == key)
        .values(touched_at=now)
        .execution_options(synchronize_session=False)
    )
    if session.execute(touch).rowcount == 0:
        _insert_ignore(session, IntakeGate, key=key, touched_at=now)
        session.execute(touch)
    session.execute(
        select(Station.id).where(Station.id == station_id).with_for_update(key_share=True)
    )


def throttle(
    session: Session, station_id: int, client_hash: str, limits: Limits, now: datetime
) -> None:
    """Refuse a submission beyond the sender's or the station's limit; count under the gates."""
    hold_gates(session, station_id, client_hash, now)
    count = select(func.count()).select_from(OpinionIntake)
    recent_from_client = session.scalar(
        count.where(
            OpinionIntake.client_hash == client_hash,
            OpinionIntake.submitted_at > now - limits.client_window,
        )
    )
    if recent_from_client >= limits.per_client:
        minutes = int(limits.client_window.total_seconds() // 60)
        raise Throttled(
            _("您在 {m} 分钟内已提交 {n} 条意见，请稍后再提交。", m=minutes, n=recent_from_client)
        )
    recent_to_station = session.scalar(
        count.where(
            OpinionIntake.station_id == station_id,
            OpinionIntake.submitted_at > now - limits.station_window,
        )
    )
    if recent_to_station >= limits.per_station:
        raise Throttled(_("此联络站刚刚收到大量意见，请几分钟后再提交。"))


def use_stamp(session: Session, nonce: str, now: datetime) -> None:
    """Record an opened form's stamp as used; a second use of it is refused."""
    session.add(IntakeStamp(nonce=nonce, used_at=now))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Replayed(
            _("这份表单已经提交过了。如需再提一条意见，请重新打开页面填写。"), field="form"
        ) from None


def prune_now_and_then(session: Session, now: datetime) -> None:
    """Prune at most once an hour per process, after a submission has committed."""
    if _last_prune and now - _last_prune[0] < timedelta(hours=1):
        return
    _last_prune[:] = [now]
    try:
        prune(session, now)
    except SQLAlchemyError:  # another process pruning the same rows: theirs will do
        session.rollback()


_last_prune: list[datetime] = []


def prune(session: Session, now: datetime) -> None:
    """Forget stamps and gates older than a form may live (they can no longer matter)."""
    cutoff = now - STAMP_LIFETIME
    session.execute(delete(IntakeStamp).where(IntakeStamp.used_at < cutoff))
    session.execute(delete(IntakeGate).where(IntakeGate.touched_at < cutoff))
    session.commit()
