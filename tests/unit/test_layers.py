"""The layout's rules, read from the source: which layer may import what, and module sizes.

core/ is plain Python (the standard library and diff-match-patch); files/ adds python-docx;
services/ never touch Flask or Werkzeug; web/ neither queries nor commits; no `_private` name is
imported from another module; no module passes 400 lines. Layers are found at any depth
(comments/consultation/services/…). Only the shell (`concord`) assembles the domains: no domain
imports the shell's assembly or, below its own web layer, the shell's web parts; no two domains
import each other and no two modules import each other.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("concord", "drafting", "search", "comments")
DOMAINS = ("drafting", "search", "comments")
LAYERS = ("core", "files", "services", "web")
MAX_LINES = 400
# Modules still over the limit, each with the issue that splits it; remove an entry when it is.
OVERSIZE_EXEMPT: dict[str, str] = {}
# What each package's core/ may import besides the standard library and itself. search's
# analysis wraps jieba.
THIRD_PARTY_CORE = {
    "concord": set(),
    "drafting": {"diff_match_patch"},
    "search": {"jieba"},
    "comments": {"diff_match_patch"},
}
# Libraries of file formats that files/ may use besides python-docx: images, QR codes, charts,
# spreadsheets.
FILE_LIBRARIES = {"docx", "lxml", "PIL", "segno", "matplotlib", "openpyxl"}
# Plain modules any layer may use: the exceptions, the one clock, the one set of limits.
SHARED = {"drafting.errors", "concord.clock", "concord.limits"}
# Imports that break a rule until their owner moves them; remove an entry when it is gone.
IMPORT_EXEMPT = {
    ("search/core/query.py", "concord.i18n"): "search engineer: messages of query errors",
}
# The shell's modules that assemble the domains: no domain imports them.
ASSEMBLY = ("concord.app", "concord.cli", "concord.cli_ops", "concord.demo", "concord.schema")
ASSEMBLY_EXEMPT: dict[str, str] = {}


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
    """Return the layer a module belongs to (core, files, services, web) at any depth."""
    parts = _rel(path).split("/")[1:-1]
    return next((part for part in parts if part in LAYERS), None)


def _owner(path: Path) -> str:
    """Return the dotted package that holds a module's layer: comments.consultation, drafting."""
    parts = _rel(path).split("/")[:-1]
    return ".".join(parts[: parts.index(_layer(path))]) if _layer(path) else ".".join(parts)


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
    owner = _owner(path)
    for module, _names, line in _imports(path, runtime=True):
        if (_rel(path), module) in IMPORT_EXEMPT:
            continue
        where = f"{_rel(path)}:{line} imports {module}"
        top = _top(module)
        if layer == "core":
            allowed = (
                _stdlib(module)
                or top in THIRD_PARTY_CORE[own]
                or module.startswith(f"{owner}.core")
                or module in SHARED
            )
            assert allowed, f"{where}: core/ is plain Python"
        elif layer == "files":
            allowed = (
                _stdlib(module)
                or top in THIRD_PARTY_CORE[own] | FILE_LIBRARIES
                or module.startswith((f"{owner}.core", f"{owner}.files", "drafting.core"))
                or module in SHARED | {"concord.i18n"}
            )
            assert allowed, f"{where}: files/ reads and writes files over core/"
        elif layer == "services":
            assert top not in ("flask", "werkzeug"), f"{where}: services/ never use Flask"
            assert ".web" not in module, f"{where}: services/ never import the web layer"
        if layer in ("core", "files", "services"):
            assert "markupsafe" != top, f"{where}: HTML belongs to web/"
            assert not module.startswith("concord.web"), f"{where}: the shell's web parts"


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


@pytest.mark.parametrize("path", [p for p in MODULES if _rel(p).split("/")[0] in DOMAINS], ids=_rel)
def test_only_the_shell_assembles_the_domains(path):
    if _rel(path) in ASSEMBLY_EXEMPT:
        return
    for module, _names, line in _imports(path):
        assert not module.startswith(ASSEMBLY), (
            f"{_rel(path)}:{line} imports {module}: only the shell assembles the domains"
        )


def _graph(key) -> dict[str, set[str]]:
    """Return who imports whom at run time, modules named by `key(dotted name)`."""
    graph: dict[str, set[str]] = {}
    names = {_rel(p)[:-3].replace("/", ".").removesuffix(".__init__") for p in MODULES}
    for path in MODULES:
        me = key(_rel(path)[:-3].replace("/", ".").removesuffix(".__init__"))
        for module, imported, _line in _imports(path, runtime=True):
            targets = [f"{module}.{n}" for n in imported if f"{module}.{n}" in names] or [module]
            for target in targets:
                if target.split(".")[0] in PACKAGES and key(target) != me:
                    graph.setdefault(me, set()).add(key(target))
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((a, b) for a, bs in graph.items() for b in bs if a < b and a in graph.get(b, ()))


def test_no_two_domains_import_each_other():
    graph = _graph(lambda m: m.split(".")[0])
    assert "comments" not in graph.get("drafting", ()) and "search" not in graph.get("drafting", ())
    assert not [pair for pair in _cycles(graph) if "concord" not in pair]


# Modules that import each other until their owner untangles them.
CYCLE_EXEMPT: dict[tuple[str, str], str] = {}


def test_no_two_modules_import_each_other():
    assert [pair for pair in _cycles(_graph(lambda m: m)) if pair not in CYCLE_EXEMPT] == []


def test_the_exemptions_are_still_needed():
    for name in OVERSIZE_EXEMPT:
        path = REPO / name
        if path.exists():
            lines = len(path.read_text(encoding="utf-8").splitlines())
            assert lines > MAX_LINES, f"{name} is {lines} lines now: drop its exemption"
