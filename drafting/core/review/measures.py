"""Penalties, coercive measures and licences that a text sets, and what each level may set.

行政处罚法 第十一条～第十四条、第十六条; 行政强制法 第十条; 行政许可法 第十四条～第十七条.
Referring to a measure set elsewhere (依照《治安管理处罚法》处罚, 依法查封) is not setting one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafting.core.review.upper import paragraphs

# Penalty kinds (行政处罚法 第九条) and the words that set them.
PENALTIES = {
    "拘留": re.compile(r"(?:处|给予|予以|并处|可以)[^，。；]{0,12}?(?<!刑事)(?:行政)?拘留"),
    "吊销营业执照": re.compile(r"吊销(?:其)?(?:企业)?营业执照"),
    "吊销许可证件": re.compile(
        r"吊销(?!(?:其)?(?:企业)?营业执照)[^，。；]{0,12}?(?:证|照|资格|资质)"
    ),
    "暂扣许可证件": re.compile(r"暂扣[^，。；]{0,12}?(?:证|照)"),
    "降低资质等级": re.compile(r"降低资质等级"),
    "责令停产停业": re.compile(r"责令(?:其)?(?:停产停业|停业整顿|停止营业|停产整顿)"),
    "责令关闭": re.compile(r"责令(?:其)?关闭"),
    "限制从业": re.compile(
        r"(?:限制|禁止)[^，。；]{0,8}?从业|不得从事[^，。；]{0,12}?(?:工作|业务|活动)"
    ),
    "没收": re.compile(
        r"没收(?:其)?(?:违法所得|非法财物|[^，。；]{0,10}?(?:工具|物品|设备|财物|所得))"
    ),
    "罚款": re.compile(r"处(?:以)?[^，。；]{0,48}?罚款"),
    "警告": re.compile(r"(?:给予|予以|处以?)(?:书面)?警告"),
    "通报批评": re.compile(r"(?:给予|予以)通报批评"),
}
COERCIONS = {
    "限制人身自由": re.compile(
        r"强制(?:隔离|带离|约束|治疗)|约束至|(?<!被)(?:可以|予以|采取)[^，。；]{0,8}?限制(?:其)?人身自由"
    ),
    "冻结存款、汇款": re.compile(r"冻结(?:其)?[^，。；]{0,8}?(?:存款|汇款|账户|资金)"),
    "查封": re.compile(r"查封"),
    "扣押": re.compile(r"(?<!暂)扣押"),
}
# 行政处罚法: what each level may set (None: anything). Rules: 警告、通报批评、一定数额罚款.
PENALTY_ALLOWED = {
    "law": None,
    "administrative-regulation": set(PENALTIES) - {"拘留"},
    "provincial-regulation": set(PENALTIES) - {"拘留", "吊销营业执照"},
    "city-regulation": set(PENALTIES) - {"拘留", "吊销营业执照"},
    "rules": {"警告", "通报批评", "罚款"},
    "normative-document": set(),
}
PENALTY_ARTICLE = {
    "administrative-regulation": "第十一条",
    "provincial-regulation": "第十二条",
    "city-regulation": "第十二条",
    "rules": "第十四条",
    "normative-document": "第十六条",
}
# 行政强制法 第十条: local regulations only 查封 and 扣押; rules and other documents none.
COERCION_ALLOWED = {
    "law": None,
    "administrative-regulation": {"查封", "扣押"},
    "provincial-regulation": {"查封", "扣押"},
    "city-regulation": {"查封", "扣押"},
    "rules": set(),
    "normative-document": set(),
}
PENALTY_LAW = "中华人民共和国行政处罚法"
COERCION_LAW = "中华人民共和国行政强制法"
LICENSE_LAW = "中华人民共和国行政许可法"
# 行政许可法: local regulations and provincial rules may set licences within limits (第十五条),
# other documents none (第十七条).
LICENSE_SEVERITY = {
    "provincial-regulation": "review",
    "city-regulation": "review",
    "rules": "review",
    "normative-document": "violation",
}
LICENSE_ARTICLE = {
    "provincial-regulation": "第十五条",
    "city-regulation": "第十五条",
    "rules": "第十五条",
    "normative-document": "第十七条",
}
_LICENSE = re.compile(
    r"(?:应当|须|必须|需)(?:经|报经|报请|向)[^，。；]{0,30}?(?:批准|许可|审批|核准)"
    r"|(?:应当|须|必须|需)(?:取得|申领|办理|持有)[^，。；]{0,24}?"
    r"(?:许可证|许可|资格证|资格|资质|执照|准营证|准予)"
    r"|实行[^，。；]{0,16}?(?:许可|审批|准营)(?:制度|管理)"
    r"|未(?:经|取得)[^，。；]{0,16}?(?:许可|批准|许可证|资格)[^，。；]{0,4}?(?:的)?，?不得"
)
# Words that make a clause a reference to a measure set elsewhere.
_REFERENCE = re.compile(
    r"依照《|依据《|按照《|根据《|依照[^，。；]{0,20}?(?:法律|法规|规定)|依照有关|按照有关"
    r"|有关法律|法律、(?:行政)?法规|法律规定|国家(?:有关)?规定|依法|由[^，。；]{0,12}?依照"
)
_CLAUSE_SPLIT = re.compile(r"[。；\n]")


@dataclass(frozen=True, slots=True)
class Measure:
    """A penalty, coercive measure or licence that a text sets: its name and the words."""

    name: str
    words: str


def clauses(text: str) -> list[str]:
    """Return the sentences of text (split at 。； and line breaks)."""
    return [c for c in _CLAUSE_SPLIT.split(text) if c.strip()]


def _sets(clause: str, start: int) -> bool:
    """Return whether the measure at start is set by the clause, not referred to elsewhere."""
    if "被" in clause[max(0, start - 2) : start]:
        return False  # 因被吊销营业执照的: something that happened, not a penalty set here
    for ref in _REFERENCE.finditer(clause):
        if ref.start() < start:
            # A reference governs what follows it up to the next comma-separated condition.
            between = clause[ref.end() : start]
            if "的，" not in between and len(between) <= 40:
                return False
    return True


def find(text: str, patterns: dict[str, re.Pattern]) -> list[Measure]:
    """Return the measures among patterns that text sets itself, one per name."""
    out: dict[str, Measure] = {}
    for clause in _own_clauses(text):
        for name, pattern in patterns.items():
            for m in pattern.finditer(clause):
                if name not in out and _sets(clause, m.start()):
                    out[name] = Measure(name, m.group(0))
    return list(out.values())


def _own_clauses(text: str) -> list[str]:
    """Return the sentences of text, leaving out items whose lead-in refers to other law.

    依照有关法律、行政法规的规定，采取下列措施：（一）强制隔离… sets nothing itself.
    """
    out: list[str] = []
    for para in paragraphs(text):
        lead, *items = para.split("\n")
        out.extend(clauses(lead))
        if not (items and lead.rstrip().endswith(("：", ":")) and _REFERENCE.search(lead)):
            for item in items:
                out.extend(clauses(item))
    return out


def penalties(text: str) -> list[Measure]:
    """Return the administrative penalties that text sets."""
    return find(text, PENALTIES)


def coercions(text: str) -> list[Measure]:
    """Return the administrative coercive measures that text sets."""
    return find(text, COERCIONS)


def licences(text: str) -> list[Measure]:
    """Return the administrative licences (行政许可) that text sets."""
    return find(text, {"行政许可": _LICENSE})


def not_allowed(level: str, found: list[Measure], allowed: dict) -> list[Measure]:
    """Return the measures of found that level may not set."""
    may = allowed[level]
    return [] if may is None else [m for m in found if m.name not in may]
