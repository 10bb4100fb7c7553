"""The legality review (合法性审查) of a draft, a named version or any document.

The statutes come from a source that the app assembles (``app.extensions["concord_statutes"]``,
search.services.upper_law.StatuteSource); this module never imports the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.db import utcnow
from concord.i18n import gettext as _
from concord.limits import MAX_ARTICLES
from drafting.core.review.checks import review as run_checks
from drafting.core.review.levels import DEFAULT_LEVEL, LEVEL_NAMES, LEVELS, is_level
from drafting.core.review.model import Article, Finding
from drafting.core.tree import Document, Node, article_text, iter_articles
from drafting.errors import BadInput
from drafting.models import Draft, Jurisdiction
from drafting.review_models import ReviewDecision, ReviewMark
from drafting.services.drafts import get_draft
from drafting.services.versions import side_of

if TYPE_CHECKING:
    from drafting.core.review.upper import UpperScope

_PROVINCE_SUFFIX = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")


class StatuteSource(Protocol):
    """Where the review reads higher-level law (search.services.upper_law.StatuteSource)."""

    def load(self): ...

    def upper_law(self, level: str, province: str | None = None) -> UpperScope: ...


@dataclass
class ArticleFindings:
    """One article of the reviewed text with its findings (and their decisions)."""

    article: Article
    findings: list[Finding]


@dataclass
class Review:
    """The findings of one document, in reading order, with advisers' decisions by finding."""

    title: str
    level: str
    articles: list[Article]
    findings: list[Finding]
    decisions: dict[tuple[int, str], ReviewDecision] = field(default_factory=dict)
    version: str = ""

    def decision(self, f: Finding) -> ReviewDecision | None:
        """Return the adviser's decision on a finding, if any."""
        return self.decisions.get((f.provision or 0, f.fingerprint()))

    def groups(self) -> list[ArticleFindings]:
        """Return the articles that have findings, each with them, in reading order."""
        by_label: dict[str, list[Finding]] = {}
        for f in self.findings:
            by_label.setdefault(f.label, []).append(f)
        return [ArticleFindings(a, by_label[a.label]) for a in self.articles if a.label in by_label]

    def counts(self) -> dict[str, int]:
        """Return how many findings there are of each severity."""
        out = {"violation": 0, "review": 0, "note": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out

    def to_json(self, file: str | None = None) -> dict:
        """Return the CONTRACT.md `review --json` object (decisions added where there are any)."""
        findings = []
        for f in self.findings:
            item = f.to_json(_)
            d = self.decision(f)
            if d is not None:
                item["decision"] = {"decision": d.decision, "note": d.note}
            item["fingerprint"] = f.fingerprint()
            findings.append(item)
        out = {"title": self.title, "level": self.level, "findings": findings}
        return {"file": file, **out} if file is not None else out


def parse_level(level: str | None) -> str:
    """Return a level named by the user, or refuse it with the list of levels."""
    level = (level or DEFAULT_LEVEL).strip()
    if not is_level(level):
        raise BadInput(
            _(
                "未知的文件层级“{level}”：应为 {levels} 之一。",
                level=level,
                levels=", ".join(LEVELS),
            ),
        )
    return level


def level_choices() -> list[tuple[str, str]]:
    """Return (level, its Chinese name) for a form's choices."""
    return [(lv, LEVEL_NAMES[lv]) for lv in LEVELS]


def articles_of(body: list[Node]) -> list[Article]:
    """Return the articles of a tree as the review reads them."""
    return [
        Article(a.label or "", article_text(a), a.id) for a, _divisions in iter_articles(body, [])
    ]


def province_of(jurisdiction: Jurisdiction | None) -> str | None:
    """Return the short name of a jurisdiction's province (江苏) as the statutes name it."""
    while jurisdiction is not None and jurisdiction.level != "province":
        jurisdiction = jurisdiction.parent
    return _PROVINCE_SUFFIX.sub("", jurisdiction.name) if jurisdiction is not None else None


def review_document(
    source: StatuteSource, document: Document, level: str, province: str | None = None
) -> Review:
    """Review a parsed document of level against the higher-level law of source."""
    level = parse_level(level)
    articles = articles_of(document.body)
    if not articles:
        raise BadInput(_("没有找到任何条文（第一条、第二条……）：无法审查。"))
    if len(articles) > MAX_ARTICLES:
        raise BadInput(_("文本超过 {n} 条，无法审查。", n=MAX_ARTICLES))
    upper = source.upper_law(level, province)
    findings = run_checks(articles, level, upper, source.load(), document.title)
    return Review(document.title, level, articles, findings)


def draft_level(draft: Draft) -> str:
    """Return the level of a draft: a province's regulation or a city's (设区的市)."""
    return "provincial-regulation" if draft.jurisdiction.level == "province" else DEFAULT_LEVEL


def review_draft(
    session: Session,
    user: User,
    draft_id: int,
    source: StatuteSource,
    *,
    version: str | None = None,
) -> tuple[Draft, Review]:
    """Review a draft's current text (or a named version) with the decisions already taken."""
    draft = get_draft(session, user, draft_id)
    side = side_of(session, user, draft, version)
    if side.draft.id != draft.id:
        raise BadInput(_("只能审查本文本或其版本。"))
    document = Document(title=side.title or draft.title, body=side.body)
    result = review_document(source, document, draft_level(draft), province_of(draft.jurisdiction))
    result.version = side.label
    rows = session.scalars(select(ReviewDecision).where(ReviewDecision.draft_id == draft.id))
    result.decisions = {(d.provision_id, d.fingerprint): d for d in rows}
    if version in (None, "", "current"):
        _save_marks(session, draft, result)
    return draft, result


_ORDER = {"violation": 0, "review": 1, "note": 2}


def _save_marks(session: Session, draft: Draft, result: Review) -> None:
    marks: dict[str, str] = {}
    for f in result.findings:
        d = result.decision(f)
        if f.provision is None or (d is not None and d.decision == "dismissed"):
            continue
        key = str(f.provision)
        if key not in marks or _ORDER[f.severity] < _ORDER[marks[key]]:
            marks[key] = f.severity
    row = session.get(ReviewMark, draft.id)
    if row is None:
        row = ReviewMark(draft_id=draft.id)
        session.add(row)
    if row.marks != marks:
        row.marks = marks
    row.reviewed_at = utcnow()
    session.commit()


def marks_of(session: Session, draft_id: int) -> dict[int, str]:
    """Return the last review's mark of each article of a draft (its most severe finding)."""
    row = session.get(ReviewMark, draft_id)
    return {int(k): v for k, v in (row.marks if row is not None else {}).items()}


def provinces(session: Session) -> list[str]:
    """Return the provinces' short names (江苏, 上海 …) for a form's choices."""
    rows = session.scalars(select(Jurisdiction).where(Jurisdiction.level == "province"))
    return sorted({province_of(j) or "" for j in rows} - {""})


def opinion_docx(draft: Draft, result: Review) -> bytes:
    """Return the 合法性审查意见 of a draft as .docx bytes."""
    import io

    from drafting.files.review_docx import write_opinion

    buffer = io.BytesIO()
    write_opinion(buffer, draft.title, draft.jurisdiction.name, result, gettext=_)
    return buffer.getvalue()
