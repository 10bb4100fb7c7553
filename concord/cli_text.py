"""`concord parse` and `concord reconcile`: regulation files read and aligned, no database."""

from __future__ import annotations

import json
import sys

import click

from drafting.errors import ConcordError

# Bad input exits 2 with one line on stderr (CONTRACT.md).
BAD_INPUT = 2


def fail(message: str, code: int = BAD_INPUT):
    """Say what is wrong in one line on stderr and exit."""
    click.echo(f"concord: {message}", err=True)
    sys.exit(code)


def dump(obj) -> None:
    """Print one JSON line."""
    click.echo(json.dumps(obj, ensure_ascii=False))


def register(main: click.Group) -> None:
    """Add the file tools to `concord`."""

    @main.command()
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
    @click.option("--json", "as_json", is_flag=True, help="Print the structure as JSON.")
    def parse(files, as_json):
        """Parse regulations (.md, .txt, .docx) and print their structure."""
        from drafting.core.tree import iter_articles
        from drafting.files.reading import parse_path

        failed = False
        for path in files:
            try:
                doc = parse_path(path)
            except ConcordError as err:
                if len(files) == 1:
                    raise
                click.echo(f"concord: {path}: {err.message}", err=True)
                failed = True
                continue
            if as_json:
                out = doc.to_json()
                if len(files) > 1:
                    out = {"file": path, **out}
                dump(out)
                continue
            click.echo(f"{path}: {doc.title}")
            for meta in doc.meta:
                click.echo(f"  {meta}")
            for article, divisions in iter_articles(doc.body, []):
                where = " ".join(f"{d.label}" for d in divisions)
                first = (article.text or "").replace("\n", " ")
                click.echo(f"  {where} {article.label} {first[:40]}".replace("  ", " ", 1))
            for w in doc.warnings:
                click.echo(f"  warning: line {w.line}: {w.message}", err=True)
        if failed:
            sys.exit(BAD_INPUT)

    @main.command()
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
    @click.option("--json", "as_json", is_flag=True, help="Print the groups as JSON.")
    def reconcile(files, as_json):
        """Align parallel regulations article by article."""
        from drafting.files.reading import reconcile_files

        if len(files) < 2:
            fail("reconcile needs at least two files")
        result = reconcile_files(list(files))
        if as_json:
            dump(result)
            return
        names = result["documents"]
        click.echo(" | ".join(["status", "similarity", *names]))
        for group in result["groups"]:
            cells = ["、".join(group["members"][n]) or "—" for n in names]
            click.echo(" | ".join([group["status"], f"{group['similarity']:.2f}", *cells]))
