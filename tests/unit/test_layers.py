"""The layout's rules, read from the source: which layer may import what, and module sizes.

core/ is plain Python (the standard library and diff-match-patch); files/ adds python-docx;
services/ never touch Flask or Werkzeug; web/ neither queries nor commits; no `_private` name is
imported from another module; no module passes 400 lines; drafting imports comments and search
only where the app is assembled.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("drafting", "search", "comments")
MAX_LINES = 400
# Modules still over the limit, each with the issue that splits it; remove an entry when it is.
OVERSIZE_EXEMPT: dict[str, str] = {}
# What each package's core/ may import besides the standard library and itself. search's
# analysis wraps jieba.
THIRD_PARTY_CORE = {
    "drafting": {"diff_match_patch"},
    "search": {"jieba"},
    "comments": {"diff_match_patch"},
}
# Libraries of file formats that files/ may use besides python-docx: images, QR codes, charts,
# spreadsheets.
FILE_LIBRARIES = {"docx", "lxml", "PIL", "segno", "matplotlib", "openpyxl"}
# Plain modules of drafting that any layer may use: the domain's exceptions.
SHARED = {"drafting.errors"}
# Imports that break a rule until their owner moves them; remove an entry when it is gone.
IMPORT_EXEMPT = {
    ("search/core/query.py", "drafting.i18n"): "search engineer: messages of query errors",
}
ASSEMBLY = {"drafting/app.py", "drafting/cli.py", "drafting/demo.py", "drafting/schema.py"}


def _modules() -> list[Path]:
    return sorted(
        p
        for package in PACKAGES
        if (REPO / package).is_dir()
        for p in (REPO / package).rglob("*.py")
        if "migrations" not in p.parts
    )


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """Return the lines of imports made for type checkers only (`if TYPE_CHECKING:`)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            lines.update(n.lineno for child in node.body for n in ast.walk(child))
    return lines


def _imports(path: Path, *, runtime: bool = False) -> list[tuple[str, list[str], int]]:
    """Return (module, imported names, line) for every import, relative ones resolved.

    `runtime`: leave out the imports made for type checkers only.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree) if runtime else set()
    package = _rel(path)[:-3].replace("/", ".").split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    out = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            out.extend((alias.name, [], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append((module, [a.name for a in node.names], node.lineno))
    return out


def _layer(path: Path) -> str | None:
    parts = _rel(path).split("/")
    return parts[1] if len(parts) > 2 and parts[1] in ("core", "files", "services", "web") else None


def _top(module: str) -> str:
    return module.split(".")[0]


def _stdlib(module: str) -> bool:
    return _top(module) in sys.stdlib_module_names or module == "__future__"


MODULES = _modules()


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_layer_imports(path):
    layer = _layer(path)
    if layer is None:
        return
    own = _rel(path).split("/")[0]
    for module, _names, line in _imports(path, runtime=True):
        if (_rel(path), module) in IMPORT_EXEMPT:
            continue
        where = f"{_rel(path)}:{line} imports {module}"
        top = _top(module)
        if layer == "core":
            allowed = (
                _stdlib(module)
                or top in THIRD_PARTY_CORE[own]
                or module.startswith(f"{own}.core")
                or module in SHARED
            )
            assert allowed, f"{where}: core/ is plain Python"
        elif layer == "files":
            allowed = (
                _stdlib(module)
                or top in THIRD_PARTY_CORE[own] | FILE_LIBRARIES
                or module.startswith((f"{own}.core", f"{own}.files", "drafting.core"))
                or module in SHARED | {"drafting.i18n"}
            )
            assert allowed, f"{where}: files/ reads and writes files over core/"
        elif layer == "services":
            assert top not in ("flask", "werkzeug"), f"{where}: services/ never use Flask"
            assert ".web" not in module, f"{where}: services/ never import the web layer"
        if layer in ("core", "files", "services"):
            assert "markupsafe" != top, f"{where}: HTML belongs to web/"


@pytest.mark.parametrize("path", [p for p in MODULES if _layer(p) == "web"], ids=_rel)
def test_web_neither_queries_nor_commits(path):
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("commit", "query", "execute"):
            assert not (isinstance(node.value, ast.Name) and node.value.id in ("s", "session")), (
                f"{_rel(path)}:{node.lineno}: web/ calls a service instead of {node.attr}()"
            )
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("select", "update", "delete"), (
                f"{_rel(path)}:{node.lineno}: web/ builds no SQL"
            )
    for module, _names, line in _imports(path):
        assert _top(module) != "sqlalchemy" or module == "sqlalchemy.orm", (
            f"{_rel(path)}:{line}: web/ builds no SQL"
        )


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_no_private_name_crosses_modules(path):
    for module, names, line in _imports(path):
        private = [n for n in names if n.startswith("_") and not n.startswith("__")]
        assert not private, f"{_rel(path)}:{line}: imports {private} from {module}"


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_modules_stay_under_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if _rel(path) in OVERSIZE_EXEMPT:
        return
    assert lines <= MAX_LINES, f"{_rel(path)} has {lines} lines: split it by concept"


@pytest.mark.parametrize("path", [p for p in MODULES if _rel(p).startswith("drafting/")], ids=_rel)
def test_drafting_imports_comments_and_search_only_where_the_app_is_assembled(path):
    if _rel(path) in ASSEMBLY:
        return
    for module, _names, line in _imports(path):
        assert _top(module) not in ("comments", "search"), (
            f"{_rel(path)}:{line} imports {module}: only {sorted(ASSEMBLY)} may"
        )


def test_the_exemptions_are_still_needed():
    for name in OVERSIZE_EXEMPT:
        path = REPO / name
        if path.exists():
            lines = len(path.read_text(encoding="utf-8").splitlines())
            assert lines > MAX_LINES, f"{name} is {lines} lines now: drop its exemption"
