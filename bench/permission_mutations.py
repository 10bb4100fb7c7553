"""Remove each permission check in turn and see whether a test notices.

Every `require(<rule>, …)` in drafting/services and drafting/web (and the visibility filter of
`visible_projects`) becomes `require(True, …)` in a copy of the repository, one at a time; the
refusal tests run against the copy. Prints one line per check and the total caught.

Run: python bench/permission_mutations.py [-k TESTS] (about a minute per check on 2 cores).
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = ["tests/test_refusals.py"]


def sites(root: Path) -> list[tuple[Path, int, int, int, str]]:
    """Return (file, line, start offset, end offset, source) of each check's rule expression."""
    out = []
    for folder in ("drafting/services", "drafting/web"):
        for path in sorted((root / folder).glob("*.py")):
            if path.name == "permissions.py":
                continue
            source = path.read_text(encoding="utf-8")
            offsets = [0]
            for line in source.splitlines(keepends=True):
                offsets.append(offsets[-1] + len(line))
            for node in ast.walk(ast.parse(source)):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                rule = node.args[0] if name == "require" else None
                if name == "may_view_project" and path.name == "projects.py":
                    rule = node  # the filter of visible_projects and get_project
                if rule is None:
                    continue
                start = offsets[rule.lineno - 1] + rule.col_offset
                end = offsets[rule.end_lineno - 1] + rule.end_col_offset
                out.append((path, rule.lineno, start, end, source[start:end]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-k", default=None, help="pytest -k expression")
    args = parser.parse_args()
    copy = Path(tempfile.mkdtemp(prefix="concord-mutations-"))
    packages = ("concord", "drafting", "search", "comments")
    for name in (*packages, "tests", "templates", "static", "samples"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    found = sites(copy)
    caught = 0
    for path, line, start, end, rule in found:
        original = path.read_text(encoding="utf-8")
        path.write_text(original[:start] + "True" + original[end:], encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *TESTS]
        if args.k:
            command += ["-k", args.k]
        run = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)
        path.write_text(original, encoding="utf-8")
        failed = re.findall(r"FAILED (\S+)", run.stdout)
        where = f"{path.relative_to(copy)}:{line}"
        short = " ".join(rule.split())
        if run.returncode == 1 and failed:
            caught += 1
            print(f"caught   {where}  {short}  <- {failed[0].split('::')[-1]}", flush=True)
        else:
            print(f"MISSED   {where}  {short}  (pytest exit {run.returncode})", flush=True)
    print(f"{caught} of {len(found)} checks removed one at a time made a refusal test fail")
    shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    main()
