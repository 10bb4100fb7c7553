"""Plain data of a review: an article under review, a provision of upper law, a finding."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("violation", "review", "note")
KINDS = (
    "penalty_not_allowed",
    "coercion_not_allowed",
    "license_review",
    "fine_exceeds_upper_law",
    "repeats_upper_law",
    "citation_not_found",
    "citation_outdated",
)

KIND_NAMES = {
    "penalty_not_allowed": "无权设定的行政处罚",
    "coercion_not_allowed": "无权设定的行政强制措施",
    "license_review": "设定行政许可",
    "fine_exceeds_upper_law": "罚款超出上位法幅度",
    "repeats_upper_law": "重复上位法",
    "citation_not_found": "引用的法规或条文不存在",
    "citation_outdated": "引用已修改或失效的条文",
}
SEVERITY_NAMES = {"violation": "需修改", "review": "待确认", "note": "提示"}


@dataclass(frozen=True, slots=True)
class Article:
    """An article of the document under review: label (第十二条), whole text, stable id if any."""

    label: str
    text: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class UpperArticle:
    """An article of higher-level law as the statutes hold it."""

    law: str
    date: str
    label: str
    text: str
    level: str = ""
    jurisdiction: str = ""
    key: str = ""

    def to_json(self) -> dict:
        """Return the `upper` object of the review JSON."""
        return {"law": self.law, "date": self.date, "label": self.label, "text": self.text}


@dataclass(frozen=True, slots=True)
class LawVersion:
    """One version of a statute: title, date, level, jurisdiction, validity, articles, key."""

    title: str
    date: str
    level: str
    jurisdiction: str
    in_force: bool
    articles: int
    key: str


@dataclass(slots=True)
class Finding:
    """What the review found in one article: kind, severity, message template and its values."""

    label: str
    kind: str
    severity: str
    template: str
    params: dict = field(default_factory=dict)
    upper: UpperArticle | None = None
    provision: int | None = None

    def message(self, gettext=None) -> str:
        """Return the message, translated with gettext when one is given."""
        if gettext is not None:
            return gettext(self.template, **self.params)
        return self.template.format(**self.params)

    def fingerprint(self) -> str:
        """Return what identifies this finding across runs (an adviser's decision is kept by it)."""
        upper = f"{self.upper.law}{self.upper.label}" if self.upper else ""
        return f"{self.kind}|{self.params.get('what', '')}|{upper}"

    def to_json(self, gettext=None) -> dict:
        """Return the CONTRACT.md finding object."""
        out = {
            "label": self.label,
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message(gettext),
            "upper": self.upper.to_json() if self.upper else None,
        }
        if self.provision is not None:
            out["provision"] = self.provision
        return out
