"""Interface language: Chinese source strings, translated to English from a JSON catalogue."""

from __future__ import annotations

import json
from contextvars import ContextVar, Token
from functools import cache
from pathlib import Path

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT = "zh"
CATALOGUE_DIR = Path(__file__).parent / "translations"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Return the translations of Chinese source strings into `lang`."""
    path = CATALOGUE_DIR / f"{lang}.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


# The language of the request being served; the web layer sets it (web/context.py), commands and
# tests outside a request get Chinese.
_language: ContextVar[str] = ContextVar("concord_language", default=DEFAULT)


def set_language(lang: str | None) -> Token:
    """Make `lang` (Chinese if unknown) the current language; return the token to reset it."""
    return _language.set(lang if lang in LANGUAGES else DEFAULT)


def reset_language(token: Token) -> None:
    """Go back to the language before `set_language`."""
    _language.reset(token)


def current_language() -> str:
    """Return the current language, Chinese by default."""
    return _language.get()


def gettext(message: str, **values) -> str:
    """Translate a Chinese source string into the current language and fill in `{names}`."""
    lang = current_language()
    text = message if lang == DEFAULT else catalogue(lang).get(message, message)
    return text.format(**values) if values else text


_ = gettext


ROLE_NAMES = {
    "admin": "管理员",
    "drafter": "起草人员",
    "commenter": "意见提交人",
    "adviser": "法律顾问",
}
