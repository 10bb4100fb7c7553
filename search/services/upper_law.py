"""The statutes as the legality review reads them: the one adapter between review and store.

Everything the review knows about where statutes live is here: the precedent rows of the search
store (`search_doc`, one query for every version of every law), kept per process until an
import changes `statute_file`; which version is in force is search.core.validity's rule, the
same one search shows advisers.
"""

from __future__ import annotations

import sys
import threading
from collections import defaultdict
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Engine

from concord.db import writing
from drafting.core.review.citations import title_key
from drafting.core.review.levels import DEFAULT_LEVEL, LOCAL_LEVEL, NATIONAL_UPPER, upper_levels
from drafting.core.review.model import LawVersion, UpperArticle
from drafting.core.review.upper import UpperLaw, UpperScope
from search.core.validity import Statute, is_current, supersession

NATIONAL_LEVELS = tuple(sorted({lv for levels in NATIONAL_UPPER.values() for lv in levels}))


class StatuteSet:
    """Every imported version of every statute, with its articles, and which version is current."""

    def __init__(self, rows: list[dict]):
        by_version: dict[str, dict[str, UpperArticle]] = defaultdict(dict)
        info: dict[str, dict] = {}
        for r in rows:
            key = r.get("path") or r.get("law", "")
            info.setdefault(key, r)
            art = UpperArticle(
                law=r.get("law", ""),
                date=r.get("date", ""),
                label=r.get("label", ""),
                text=r.get("text", ""),
                level=r.get("level", ""),
                jurisdiction=r.get("jurisdiction", ""),
                key=f"{key}#{r.get('seq', '')}",
            )
            by_version[key].setdefault(art.label, art)
        self.articles = dict(by_version)
        self.by_title: dict[str, list[LawVersion]] = defaultdict(list)
        for key, r in info.items():
            v = LawVersion(
                title=r.get("law", ""),
                date=r.get("date", ""),
                level=r.get("level", ""),
                jurisdiction=r.get("jurisdiction", ""),
                in_force=r.get("validity") != "expired",
                articles=len(self.articles[key]),
                key=key,
            )
            self.by_title[title_key(v.title)].append(v)
        replaced = supersession(_statute(v) for vs in self.by_title.values() for v in vs)
        self.currents = {k: current_version(vs, replaced) for k, vs in self.by_title.items()}

    def versions(self, key: str) -> list[LawVersion]:
        """Return every version of the statute whose title key is key."""
        return self.by_title.get(key, [])

    def current(self, key: str) -> LawVersion | None:
        """Return the version in force of the statute whose title key is key."""
        return self.currents.get(key)

    def article(self, version: LawVersion, label: str) -> UpperArticle | None:
        """Return an article of one version by its label."""
        return self.articles.get(version.key, {}).get(label)

    def quote(self, law: str, label: str) -> UpperArticle | None:
        """Return an article of the current version of a law by title and label."""
        version = self.current(title_key(law))
        return self.article(version, label) if version else None

    def current_articles(self) -> list[UpperArticle]:
        """Return the articles of every statute's version in force."""
        out = []
        for version in self.currents.values():
            if version is not None:
                out.extend(self.articles[version.key].values())
        return out


def is_upper(article: UpperArticle, levels: tuple[str, ...], province: str | None) -> bool:
    """Return whether an article is higher-level law: of levels, or a regulation of province.

    A province's folder also holds its cities' regulations (广州市…条例); only the province's
    own (广东省…) are higher-level law for its cities.
    """
    if article.level in levels:
        return True
    return bool(
        province
        and article.level == LOCAL_LEVEL
        and article.jurisdiction == province
        and article.law.startswith(province)
    )


def _statute(v: LawVersion) -> Statute:
    return Statute(
        key=v.key, title=v.title, jurisdiction=v.jurisdiction, date=v.date, expired=not v.in_force
    )


def current_version(versions: list[LawVersion], replaced: dict[str, str]) -> LawVersion | None:
    """Return the version in force (search.core.validity), the newest if several are."""
    live = [v for v in versions if is_current(_statute(v), replaced)]
    return max(live, key=lambda v: v.date or "") if live else None


# What changes when an import adds, changes or removes a statute file.
_STAMP = text(
    "SELECT count(*), coalesce(sum(size), 0), coalesce(max(mtime_ns), 0) FROM statute_file"
)
_ROWS = text(
    "SELECT path, law, level, jurisdiction, date, validity, label, seq, text FROM search_doc "
    "WHERE kind = 'precedent' ORDER BY path, seq"
)


@contextmanager
def _reading(engine: Engine):
    """Connect to read only, even inside a writing request (whose connection holds the lock)."""
    token = writing.set(False)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        writing.reset(token)


class StatuteSource:
    """The statutes of one store, loaded once per process and reloaded after an import."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.lock = threading.Lock()
        self.stamp: tuple | None = None
        self.statutes: StatuteSet | None = None
        self.law: UpperLaw | None = None
        self.uppers: dict[tuple, UpperScope] = {}

    def _stamp(self) -> tuple:
        with _reading(self.engine) as conn:
            return tuple(conn.execute(_STAMP).one())

    def load(self) -> StatuteSet:
        """Return the statutes, reading them from the store when it changed since last time."""
        with self.lock:
            stamp = self._stamp()
            if self.statutes is None or stamp != self.stamp:
                self.statutes = StatuteSet(list(self._rows()))
                self.law, self.uppers, self.stamp = None, {}, stamp
            return self.statutes

    def _rows(self):
        with _reading(self.engine) as conn:
            yield from conn.execute(_ROWS).mappings()

    def warm_up(self) -> threading.Thread:
        """Load the statutes and build their index in a background thread (at start-up)."""

        def run():
            try:
                self.upper_law(DEFAULT_LEVEL)
            except Exception as err:  # a damaged or missing store is reported when used
                print(f"legality review: statutes not loaded ({err})", file=sys.stderr)

        thread = threading.Thread(target=run, name="statutes-warm-up", daemon=True)
        thread.start()
        return thread

    def upper_law(self, level: str, province: str | None = None) -> UpperScope:
        """Return the indexed higher-level law of a document of level in province.

        One index of every statute in force is built per process; each level and province
        gets a mask over it.
        """
        statutes = self.load()
        national, with_province = upper_levels(level)
        key = (level, province if with_province else None)
        with self.lock:
            if self.law is None:
                # Only what can be upper law for some level: national statutes and the
                # provinces' own regulations (not their cities').
                self.law = UpperLaw(
                    [
                        a
                        for a in statutes.current_articles()
                        if is_upper(a, NATIONAL_LEVELS, a.jurisdiction)
                    ]
                )
            scope = self.uppers.get(key)
            if scope is None:
                scope = self.law.scope(lambda a: is_upper(a, national, key[1]))
                self.uppers[key] = scope
            return scope


_sources: dict[str, StatuteSource] = {}


def statute_source(engine: Engine) -> StatuteSource:
    """Return this process's source of the statutes in engine's database (one cache per store)."""
    key = engine.url.render_as_string(hide_password=False)
    if key not in _sources:
        _sources[key] = StatuteSource(engine)
    return _sources[key]
