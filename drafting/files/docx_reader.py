"""Read a Word (.docx) regulation as lines for the parser, rebuilding automatic numbering."""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE

from drafting.core.numbering import to_chinese
from drafting.errors import BadDocument

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 5000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING_RE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_LEGAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
NUMERAL = "零〇一二三四五六七八九十百千两0-9"
ARTICLE_LABEL = re.compile(rf"第[{NUMERAL}]+条(?:之[{NUMERAL}]+)?")
_SPACES = " \u3000\t"


def check_zip(data: bytes, filename: str) -> None:
    """Refuse a file that is not a Word package or would unpack too large (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise BadDocument(f"{filename}：不是有效的 Word 文档（不是 .docx 的 zip 格式）") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BadDocument(f"{filename}：Word 文档包含的部件过多（{len(infos)} 个）")
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if total > MAX_UNCOMPRESSED:
            raise BadDocument(f"{filename}：Word 文档解压后过大（超过 200 MB），已拒绝")
        if total > 10 * 1024 * 1024 and total / packed > MAX_RATIO:
            raise BadDocument(f"{filename}：Word 文档的压缩比异常（疑似压缩炸弹），已拒绝")
        if "word/document.xml" not in archive.namelist():
            raise BadDocument(f"{filename}：不是 Word 文档（缺少 word/document.xml）")


def docx_lines(data: bytes, filename: str) -> list[str]:
    """Return a .docx file's paragraphs as lines, headings marked with # as in the corpus."""
    check_zip(data, filename)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise BadDocument(f"{filename}：Word 文档已损坏，无法打开（{type(exc).__name__}）") from exc
    numbering = _Numbering(document)
    # paragraph.style searches every style each time; resolve ids once instead.
    styles = {s.style_id: s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    lines: list[str] = []
    for paragraph in document.paragraphs:
        style = styles.get(paragraph._p.style, default) if paragraph._p.style else default
        text = paragraph.text
        label = numbering.label(paragraph, style)
        stripped = text.lstrip(" \u3000\t")
        if label and not stripped.startswith(label):
            text = label + (" " if label[-1] in "条章节编" else "") + stripped
        elif not label:
            text = _spaced_after_bold_label(paragraph, text)
        level = _heading_level(style)
        if level and text.strip():
            text = "#" * level + " " + text.strip()
        lines.extend(text.split("\n") if text else [""])
    return lines


def bold_label(paragraph) -> str | None:
    """Return the article label (第四十八条) a paragraph opens with in bold, if it does."""
    bold = ""
    for run in paragraph.runs:
        if not run.text.strip(_SPACES):
            bold += run.text if bold else ""
            continue
        if not run.bold:
            break
        bold += run.text
    bold = bold.strip(_SPACES)
    return bold if ARTICLE_LABEL.fullmatch(bold) else None


def _spaced_after_bold_label(paragraph, text: str) -> str:
    """Put a space after a bold article label typed straight into its text (第四十八条前期…).

    Without it the parser could take 「第四十八条前期…」 for a paragraph opening with a
    citation; the bold run is where the label ends.
    """
    label = bold_label(paragraph)
    stripped = text.lstrip(_SPACES)
    if label is None or not stripped.startswith(label) or len(stripped) == len(label):
        return text
    rest = stripped[len(label) :]
    return text if rest[0] in _SPACES else f"{label}\u3000{rest}"


def _heading_level(style) -> int | None:
    m = HEADING_RE.match((style.name if style is not None else "") or "")
    return int(m.group(1)) if m else None


def format_number(n: int, fmt: str) -> str:
    """Return n written in a Word numFmt (decimal, chineseCounting, ideographTraditional …)."""
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "koreanCounting",
    ):
        return to_chinese(n)
    if fmt == "ideographDigital" or fmt == "taiwaneseDigital":
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return to_chinese(n).translate(_LEGAL)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(_FULLWIDTH)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "ideographTraditional":
        return _TRADITIONAL[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _ZODIAC[(n - 1) % 12]
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        count, n = divmod(n, value)
        out += letters * count
    return out


class _Numbering:
    """Word's list definitions and running counters, to spell out automatic labels."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        for abstract in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl", "0"))] = (
                    int(_val(lvl, "start") or 1),
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                )
            self.levels[abstract.get(f"{W}abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            overrides = {}
            for override in num.iter(f"{W}lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    overrides[int(override.get(f"{W}ilvl", "0"))] = int(start)
            self.nums[num.get(f"{W}numId")] = (_val(num, "abstractNumId") or "", overrides)

    def _num_pr(self, paragraph, style) -> tuple[str, int] | None:
        ppr = paragraph._p.pPr
        num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
        style = style if num_pr is None else None
        while num_pr is None and style is not None:
            # Numbering may come from the paragraph's style or one it is based on.
            sppr = style.element.find(f"{W}pPr")
            num_pr = sppr.find(f"{W}numPr") if sppr is not None else None
            style = style.base_style
        if num_pr is None:
            return None
        num_id = _val(num_pr, "numId")
        ilvl = int(_val(num_pr, "ilvl") or 0)
        if not num_id or num_id == "0":
            return None
        return num_id, ilvl

    def label(self, paragraph, style) -> str:
        """Advance the paragraph's list counter and return its label, or ''."""
        found = self._num_pr(paragraph, style)
        if found is None or found[0] not in self.nums:
            return ""
        num_id, ilvl = found
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in overrides.items():
                counters[level] = start - 1
        start = levels[ilvl][0]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        _, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return ""

        def spell(m: re.Match) -> str:
            level = int(m.group(1)) - 1
            value = counters.get(level, levels.get(level, (1,))[0])
            return format_number(value, levels.get(level, (1, "decimal", ""))[1])

        return re.sub(r"%([1-9])", spell, text).strip()


def _val(element, tag: str) -> str | None:
    child = element.find(f"{W}{tag}")
    return child.get(f"{W}val") if child is not None else None
