"""Remove each permission check in turn and see whether a test notices.

Every call of a rule of `concord/permissions/` in the shell, drafting, comments and search (each
call site, each SQL filter) is neutralised in a copy of the repository, one at a time: `require(…)`
becomes `require(True, …)`, a boolean rule or a filter becomes `True`, `comment_refusal(…)`
becomes `None`, a `require_*` check does nothing (a lookup returns what it was given). The refusal
tests of that package then run against the copy. Prints one line per check and the total caught.

A parent process imports the libraries once and forks one pytest per check, so a check costs
its tests, not the imports. Run: python bench/permission_mutations.py [--only PATH-PREFIX]
[--jobs N] (N copies of the repository, N checks at once).
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "concord" / "permissions"
FOLDERS = ("concord", "drafting", "comments", "search")
COPIED = ("concord", "drafting", "search", "comments", "tests", "templates", "static", "samples")
# The refusal tests of each package, then its other tests of who may do what; the decided
# rules' tests run for every package.
COMMON = ["tests/test_permission_rules.py"]
TESTS = {
    "drafting": [
        "tests/test_refusals.py",
        "tests/test_workspace_offers.py",
        "tests/test_review.py",
        "tests/test_reconciliation.py",
    ],
    "comments/consultation": [
        "tests/test_consultation_refusals.py",
        "tests/consultation/test_lifecycle.py",
        "tests/consultation/test_comment_pages.py",
        "tests/consultation/test_adoption.py",
        # 待我处理 lists the overdue supervision follow-ups to the city's handlers only.
        "tests/test_opinion_report_loop.py::test_key_supervision_overdue_follow_up_stands_out",
    ],
    "comments/proposals": [
        "tests/test_proposal_refusals.py",
        "tests/test_proposal_permissions.py",
        "tests/test_proposal_pages.py",
    ],
    "comments/web": [
        "tests/consultation/test_lifecycle.py",
        "tests/test_opinion_refusals.py",
        "tests/test_consultation_refusals.py",
    ],
    "comments/opinions": [
        "tests/test_opinion_refusals.py",
        "tests/test_opinion_loop.py",
        "tests/test_opinion_report_loop.py",
        "tests/test_opinion_triage.py",
    ],
    "search": ["tests/test_search_views.py"],
    "concord": ["tests/test_users_admin.py"],
}
# Calls that return what they check: neutralised, they hand back their argument.
LOOKUPS = {"require_sees_proposal": 1, "require_sees_project": 1}


def rule_names() -> set[str]:
    """Return the public functions (and aliases) the permissions package defines."""
    names = set()
    for path in RULES.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                names.add(node.name)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names - {
        "either",
        "both",
        "among",
        "active",
        "is_admin",
        "is_staff_of",
        "refuse",
        "find_visible",
    }


def replacement(node: ast.Call, name: str, source: str) -> tuple[ast.AST, str]:
    """Return the expression to replace and what replaces it."""
    if name == "require":
        return node.args[0], "True"
    if name in LOOKUPS:
        return node, ast.get_source_segment(source, node.args[LOOKUPS[name]])
    if name.startswith("require"):
        return node, "None"
    if name == "comment_refusal":
        return node, "None"
    return node, "True"


def sites(root: Path) -> list[tuple[Path, int, int, int, str, str]]:
    """Return (file, line, start, end, original, replacement) of each check in the domains."""
    names = rule_names()
    out = []
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*.py")):
            if path.is_relative_to(root / "concord" / "permissions"):
                continue  # the rules themselves, not a place that asks them
            source = path.read_text(encoding="utf-8")
            if "concord.permissions" not in source:
                continue
            offsets = [0]
            for line in source.splitlines(keepends=True):
                offsets.append(offsets[-1] + len(line.encode("utf-8")))
            inside_require: set[int] = set()
            found = []
            for node in ast.walk(ast.parse(source)):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name not in names or id(node) in inside_require:
                    continue
                if name == "require":
                    inside_require.update(id(n) for n in ast.walk(node.args[0]))
                target, new = replacement(node, name, source)
                found.append((target, new))
            data = source.encode("utf-8")
            for target, new in found:
                start = offsets[target.lineno - 1] + target.col_offset
                end = offsets[target.end_lineno - 1] + target.end_col_offset
                old = data[start:end].decode("utf-8")
                out.append((path, target.lineno, start, end, old, new))
    return sorted(out, key=lambda s: (str(s[0]), s[2]))


def tests_for(copy: Path, path: Path) -> list[str]:
    """Return the refusal tests of the package that holds `path`."""
    rel = path.relative_to(copy).as_posix()
    for prefix, tests in TESTS.items():
        if rel.startswith(prefix):
            return [t for t in tests + COMMON if (copy / t.split("::")[0]).exists()]
    return COMMON


def start_forked(copy: Path, tests: list[str]) -> int:
    """Start pytest on `tests` in a forked child working in `copy`; return its pid."""
    pid = os.fork()
    if pid == 0:
        fd = os.open(copy / ".mutation-output", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        sys.path[0] = str(copy)  # this copy's (mutated) modules, not another job's
        import pytest
        import werkzeug.security

        # Cheap password hashes: the checks under test are about roles, not about scrypt.
        slow = werkzeug.security.generate_password_hash
        werkzeug.security.generate_password_hash = lambda p, *a, **k: slow(p, "pbkdf2:sha256:1")
        os.chdir(copy)
        code = pytest.main(["-q", "-x", "-p", "no:cacheprovider", "-rf", *tests])
        sys.stdout.flush()
        os._exit(int(code))
    return pid


def make_copy() -> Path:
    """Copy the repository's code and tests into a fresh temporary folder."""
    copy = Path(tempfile.mkdtemp(prefix="concord-mutations-"))
    for name in COPIED:
        if (REPO / name).exists():
            shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    return copy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="check only files under this path prefix")
    parser.add_argument("--list", action="store_true", help="list the checks and stop")
    parser.add_argument("--jobs", type=int, default=1, help="checks run at once, one copy each")
    parser.add_argument("--missed", help="only the checks a previous run's output says MISSED")
    args = parser.parse_args()
    copies = [make_copy() for _ in range(max(1, args.jobs))]
    sys.path.insert(0, str(copies[0]))
    sys.dont_write_bytecode = True
    found = [
        (path.relative_to(copies[0]), line, start, end, old, new)
        for path, line, start, end, old, new in sites(copies[0])
        if path.relative_to(copies[0]).as_posix().startswith(args.only)
    ]
    if args.missed:
        text = Path(args.missed).read_text(encoding="utf-8")
        again = set(re.findall(r"^MISSED +(\S+:\d+) ", text, re.M))
        found = [f for f in found if f"{f[0].as_posix()}:{f[1]}" in again]
    if args.list:
        for rel, line, _s, _e, old, new in found:
            print(f"{rel}:{line}  {' '.join(old.split())} -> {new}")
        print(f"{len(found)} checks")
        for copy in copies:
            shutil.rmtree(copy, ignore_errors=True)
        return
    # The libraries, imported once; each fork imports the project's (mutated) modules afresh.
    import docx  # noqa: F401
    import flask  # noqa: F401
    import jieba  # noqa: F401
    import openpyxl  # noqa: F401
    import pytest  # noqa: F401
    import sqlalchemy  # noqa: F401

    began = time.monotonic()
    caught = 0
    waiting = list(found)
    running: dict[int, tuple[Path, tuple]] = {}
    free = list(copies)
    while waiting or running:
        while waiting and free:
            copy, check = free.pop(), waiting.pop(0)
            rel, _line, start, end, _old, new = check
            original = (copy / rel).read_bytes()
            (copy / rel).write_bytes(original[:start] + new.encode("utf-8") + original[end:])
            pid = start_forked(copy, tests_for(copy, copy / rel))
            running[pid] = (copy, check, original)
        pid, status = os.wait()
        copy, (rel, line, _s, _e, old, _new), original = running.pop(pid)
        (copy / rel).write_bytes(original)
        free.append(copy)
        code = os.waitstatus_to_exitcode(status)
        output = (copy / ".mutation-output").read_text(encoding="utf-8", errors="replace")
        failed = re.findall(r"FAILED (\S+)", output)
        short = " ".join(old.split())[:90]
        if code == 1 and failed:
            caught += 1
            print(f"caught   {rel}:{line}  {short}  <- {failed[0].split('::')[-1]}", flush=True)
        else:
            print(f"MISSED   {rel}:{line}  {short}  (pytest exit {code})", flush=True)
    minutes = (time.monotonic() - began) / 60
    print(f"{caught} of {len(found)} checks removed one at a time made a refusal test fail")
    print(f"({minutes:.1f} minutes, {len(copies)} at a time)")
    for copy in copies:
        shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    main()
