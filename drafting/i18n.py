"""Interface language: Chinese source strings, translated to English from a JSON catalogue."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from flask import Flask, has_request_context, request

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


def current_language() -> str:
    """Return the language chosen by the user (cookie `lang`), Chinese by default."""
    if not has_request_context():
        return DEFAULT
    lang = request.args.get("lang") or request.cookies.get("lang") or DEFAULT
    return lang if lang in LANGUAGES else DEFAULT


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


def init_app(app: Flask) -> None:
    """Make `_` and the current language available to every template."""
    app.jinja_env.globals.update(
        _=gettext, current_language=current_language, LANGUAGES=LANGUAGES, role_names=ROLE_NAMES
    )
