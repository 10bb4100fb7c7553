"""`concord review FILE...`: the legality review of documents against the imported statutes."""

from __future__ import annotations

import json
import sys

import click

from drafting.core.review.levels import DEFAULT_LEVEL, LEVELS
from drafting.errors import ConcordError


def register(main: click.Group, *, app_factory) -> None:
    """Add `concord review` to `concord`; app_factory() returns the assembled app (its statutes)."""

    @main.command("review")
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
    @click.option("--level", default=DEFAULT_LEVEL, show_default=True, help=", ".join(LEVELS))
    @click.option(
        "--province", default=None, help="Province (江苏, 上海 …) whose regulations are upper law."
    )
    @click.option("--json", "as_json", is_flag=True, help="One JSON object per file.")
    def review_command(files, level, province, as_json):
        """Review regulations or normative documents against the imported higher-level law."""
        from concord.i18n import gettext
        from drafting.files.reading import parse_path
        from drafting.services.review import parse_level, review_document

        level = parse_level(level)
        source = app_factory().extensions["concord_statutes"]
        failed = False
        for path in files:
            try:
                result = review_document(source, parse_path(path), level, province)
            except ConcordError as err:
                if len(files) == 1:
                    raise
                click.echo(f"concord: {path}: {err.message}", err=True)
                failed = True
                continue
            if as_json:
                click.echo(json.dumps(result.to_json(file=path), ensure_ascii=False))
                continue
            counts = result.counts()
            click.echo(
                f"{path}: {result.title} ({level}) — violation {counts['violation']}, "
                f"review {counts['review']}, note {counts['note']}"
            )
            for f in result.findings:
                click.echo(f"  {f.label} [{f.severity}] {f.kind}: {f.message(gettext)}")
                if f.upper is not None:
                    click.echo(f"      《{f.upper.law}》{f.upper.label}（{f.upper.date}）")
        if failed:
            sys.exit(2)
