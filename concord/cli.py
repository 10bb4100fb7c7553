"""The `concord` command: serve, migrate, manage users, parse, reconcile and search."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from drafting.errors import ConcordError

# Bad input exits 2 with one line on stderr (CONTRACT.md); an unavailable service exits 1.
BAD_INPUT = 2


def _fail(message: str, code: int = BAD_INPUT):
    click.echo(f"concord: {message}", err=True)
    sys.exit(code)


def _dump(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


class ConcordGroup(click.Group):
    """A command group that turns domain errors into one-line messages and exit codes."""

    def invoke(self, ctx):
        from drafting.errors import DatabaseUnavailable

        try:
            return super().invoke(ctx)
        except DatabaseUnavailable as err:
            _fail(err.message, 1)
        except ConcordError as err:
            _fail(err.message)
        except OSError as err:
            _fail(f"{err.filename or ''}: {err.strerror or err}".lstrip(": "))
        finally:
            # Close the command's connections now, not whenever Python collects them.
            from concord.cli_ops import OPENED

            while opened_apps or OPENED:
                (opened_apps or OPENED).pop().extensions["concord_engine"].dispose()


opened_apps: list = []


def _app():
    from concord.app import create_app

    app = create_app()
    opened_apps.append(app)
    return app


def _upgraded_app():
    from concord.schema import upgrade

    app = _app()
    upgrade(app.extensions["concord_engine"])
    return app


@click.group(cls=ConcordGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Concord: co-write one regional regulation across several cities."""


@main.command()
@click.option("--demo", is_flag=True, help="Load the demo workspace from samples/ if empty.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True)
@click.option("--threads", default=8, type=int, show_default=True)
def serve(demo: bool, host: str, port: int, threads: int):
    """Upgrade the database, optionally load the demo workspace, and serve the web app."""
    app = _upgraded_app()
    if demo:
        from concord.demo import load_demo

        with app.app_context():
            from concord.db import request_session

            session = request_session()
            summary = load_demo(session, progress=lambda m: click.echo(m, err=True))
            if summary.created_projects:
                from search.services.workspace import reindex_workspace

                click.echo("indexing the demo drafts for workspace search", err=True)
                reindex_workspace(session, sources=app.extensions["concord_search_sources"])
                session.commit()
        click.echo(summary.describe())
        _index_corpus_in_background(app.extensions["concord_engine"])
    # The legality review's statutes load in the background: the first review need not wait.
    app.extensions["concord_statutes"].warm_up()
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    click.echo(f"Concord is running at {url}  (Ctrl+C to stop)")
    click.echo(f"Database: {app.config['DATABASE_URL'].split('@')[-1]}")
    from waitress import serve as waitress_serve

    waitress_serve(app, host=host, port=port, threads=threads, ident="Concord")


def _index_corpus_in_background(engine) -> None:
    """For the demo, index the shared corpus (when it is there) without holding up the server."""
    import os
    import threading

    from concord.app import ROOT

    corpus = Path(os.environ.get("CONCORD_CORPUS") or ROOT.parent / "shared" / "corpus")
    if not (corpus / "manifest.tsv").exists():
        click.echo(
            "Precedent search: no corpus found; index statutes with "
            "`concord precedents import DIR`.",
            err=True,
        )
        return

    def run():
        from search.importer import import_directory

        def progress(done, total, _path):
            if done == total or done % 250 == 0:
                click.echo(f"precedent index: {done}/{total} files", err=True)

        try:
            stats = import_directory(engine, corpus, progress=progress)
        except Exception as err:  # noqa: BLE001 - the server keeps serving; say why search is empty
            click.echo(
                f"precedent index: importing {corpus} failed ({err}); "
                f"run `concord precedents import {corpus}` to retry",
                err=True,
            )
            return
        click.echo(
            f"precedent index ready: {stats.articles} articles changed, "
            f"{stats.unchanged} files unchanged ({stats.seconds:.0f} s)",
            err=True,
        )

    click.echo(
        f"Precedent search: importing {corpus} in the background (first time: well under a "
        "minute; searches find more as it goes).",
        err=True,
    )
    threading.Thread(target=run, name="concord-corpus-import", daemon=True).start()


@main.group()
def db():
    """Manage the database."""


@db.command("upgrade")
def db_upgrade():
    """Apply migrations to DATABASE_URL (default: SQLite in the instance folder)."""
    app = _upgraded_app()
    click.echo(f"Database is up to date: {app.config['DATABASE_URL'].split('@')[-1]}")


@main.group()
def jurisdiction():
    """Manage jurisdictions (GB/T 2260)."""


@jurisdiction.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--level", default="county", type=click.Choice(["province", "city", "county"]))
@click.option("--parent", default=None, help="Code of the parent jurisdiction.")
def jurisdiction_add(code, name, level, parent):
    """Add a jurisdiction such as a county or district."""
    from concord.accounts.users import add_jurisdiction

    app = _upgraded_app()
    with app.app_context():
        from concord.db import request_session

        j = add_jurisdiction(request_session(), code=code, name=name, level=level, parent=parent)
        click.echo(f"Added {j.code} {j.name} ({j.level})")


@main.group()
def user():
    """Manage users."""


@user.command("create")
@click.argument("name")
@click.option("--jurisdiction", "jurisdiction_code", required=True, help="GB/T 2260 code.")
@click.option(
    "--role", required=True, type=click.Choice(["admin", "drafter", "commenter", "adviser"])
)
@click.option("--display-name", default="", help="The person's name as shown in the app.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--token", "with_token", is_flag=True, help="Print a new API token on stdout.")
@click.option(
    "--token-days",
    type=click.IntRange(1, 3650),
    default=None,
    help="The token expires after N days.",
)
@click.option("--platform", is_flag=True, help="With --role admin: admin of the whole platform.")
@click.option("--email", default="", help="E-mail address for notifications.")
def user_create(name, jurisdiction_code, role, display_name, password_stdin, **more):
    """Create a user of a jurisdiction with a role."""
    from concord.accounts.users import create_user, issue_token

    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            _fail("no password on standard input")
    app = _upgraded_app()
    with app.app_context():
        from concord.db import request_session

        s = request_session()
        u = create_user(
            s,
            username=name,
            jurisdiction=jurisdiction_code,
            role=role,
            password=password,
            display_name=display_name,
            platform=more["platform"],
            email=more["email"],
        )
        if more["with_token"]:
            click.echo(issue_token(s, u, name="cli", days=more["token_days"]))
        else:
            click.echo(f"Created user {u.username} ({u.role}, {u.jurisdiction.name})", err=True)


@main.group()
def precedents():
    """Manage the precedent index."""


@precedents.command("import")
@click.argument("directory", type=click.Path(file_okay=False))
def precedents_import(directory):
    """Import a folder of statutes into the database (incremental: changed files only)."""
    from search.importer import import_directory

    if not Path(directory).is_dir():
        _fail(f"{directory}: no such folder")
    app = _upgraded_app()
    where = app.config["DATABASE_URL"].split("@")[-1]
    bar = None
    if sys.stderr.isatty():
        bar_cm = click.progressbar(length=1, label="Indexing", file=sys.stderr)
        bar = bar_cm.__enter__()

    def progress(done, total, path):
        if bar is not None:
            bar.length = total
            bar.update(done - bar.pos)
        elif done == total or done % 200 == 0:
            click.echo(f"indexed {done}/{total} files", err=True)

    try:
        stats = import_directory(app.extensions["concord_engine"], directory, progress=progress)
    finally:
        if bar is not None:
            bar_cm.__exit__(None, None, None)
    click.echo(
        f"{stats.files} files: {stats.added} added, {stats.updated} updated, "
        f"{stats.unchanged} unchanged, {stats.removed} removed; {stats.articles} articles "
        f"imported in {stats.seconds:.1f} s into {where}"
    )
    for path, message in stats.failed:
        click.echo(f"skipped {path}: {message}", err=True)


@main.command()
@click.option(
    "--precedents",
    "precedent_dir",
    default=None,
    type=click.Path(file_okay=False),
    help="Also re-import this folder of statutes.",
)
def reindex(precedent_dir):
    """Rebuild the workspace search rows from the database (and re-import precedents)."""
    from search.services.workspace import reindex_workspace

    if precedent_dir:
        from click import Context

        Context(precedents_import).invoke(precedents_import, directory=precedent_dir)
    app = _upgraded_app()
    with app.app_context():
        from concord.db import request_session

        session = request_session()
        n = reindex_workspace(
            session,
            progress=lambda done, total, title: click.echo(f"[{done}/{total}] {title}", err=True),
            sources=app.extensions["concord_search_sources"],
        )
        session.commit()
    click.echo(f"{n} workspace articles reindexed")


@main.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
@click.option("--limit", default=10, type=click.IntRange(1, 200), show_default=True)
def search(query, as_json, limit):
    """Search the precedents."""
    from search.services.precedents import search as run_search

    app = _upgraded_app()
    with app.app_context():
        from concord.db import request_session

        result = run_search(request_session(), query, limit=limit)
    if result["index"]["state"] == "missing":
        _fail(result["notices"][0])
    if as_json:
        _dump(result)
        return
    import re

    for notice in result.get("notices", []):
        click.echo(f"note: {notice}", err=True)
    click.echo(f"{result['total']} results ({result['took_ms']} ms)")
    for hit in result["hits"]:
        snippet = re.sub(r"</?b>", "", hit["snippet"])
        click.echo(f"《{hit['law']}》{hit['label']}  [{hit['level']} {hit['jurisdiction']}]")
        click.echo(f"    {snippet}")


from comments.consultation.services.reminders import send_reminders  # noqa: E402
from comments.proposals.services.reminders import send_reminders as proposal_reminders  # noqa: E402,E501
from concord import cli_ops, cli_review, cli_text  # noqa: E402  (operators', review, text tools)
from search.services.workspace import reindex_workspace  # noqa: E402

cli_ops.register(
    main, user, reindex=reindex_workspace, reminders=(send_reminders, proposal_reminders)
)
cli_review.register(main, app_factory=lambda: _app())
cli_text.register(main)
