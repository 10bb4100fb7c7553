"""`concord` commands for operators: backups, ending sessions, the index worker."""

from __future__ import annotations

import sys
from pathlib import Path

import click


def _fail(message: str, code: int = 2):
    click.echo(f"concord: {message}", err=True)
    sys.exit(code)


def _app():
    from concord.app import create_app

    return create_app()


def _upgraded_app():
    from concord.schema import upgrade

    app = _app()
    upgrade(app.extensions["concord_engine"])
    return app


def register(main: click.Group, user: click.Group, *, reindex, reminders) -> None:
    """Add the operators' commands to `concord` and `concord user`; `reindex(session, dir)`
    rebuilds the workspace index after a restore, each of `reminders(session, today)` adds
    the day's notifications."""

    @main.group()
    def notify():
        """Notifications: the day's reminders and the e-mail outbox."""

    @notify.command("due")
    @click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="The day (default: today).")
    def notify_due(today):
        """Add reminders: rounds closing within 3 days, replies due, opinions overdue (daily)."""
        from datetime import UTC, datetime, timedelta

        day = today.date() if today else (datetime.now(UTC) + timedelta(hours=8)).date()
        app = _upgraded_app()
        with app.app_context():
            from concord.db import request_session

            n = sum(add(request_session(), day) for add in reminders)
        click.echo(f"Added {n} reminder(s) for {day.isoformat()}")

    @notify.command("mail")
    def notify_mail():
        """Send the notification e-mail waiting in the outbox now (CONCORD_SMTP_URL)."""
        from concord.notifications.mail import send_pending, smtp_settings

        app = _upgraded_app()
        settings = smtp_settings(app.config["SMTP_URL"], app.config["MAIL_FROM"])
        if settings is None:
            _fail("CONCORD_SMTP_URL is not set")
        base = app.config["PUBLIC_URL"] or "http://localhost:5000"
        n = send_pending(app.extensions["concord_sessions"], settings, base)
        click.echo(f"Sent {n} message(s)")

    @main.command("backup")
    @click.argument("file", type=click.Path(dir_okay=False))
    def backup_command(file):
        """Copy the database to FILE, consistently, while the server keeps running."""
        from concord.backup import backup

        app = _app()
        size = backup(app.extensions["concord_engine"], Path(file))
        click.echo(
            f"Backed up {app.config['DATABASE_URL'].split('@')[-1]} to {file} ({size} bytes)"
        )

    @main.command("restore")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(file, yes):
        """Replace the database with the backup FILE (stop the server first), then reindex."""
        from concord.backup import restore

        app = _app()
        where = app.config["DATABASE_URL"].split("@")[-1]
        if not yes and not click.confirm(f"Replace everything in {where} with {file}?"):
            _fail("restore cancelled")
        restore(app.extensions["concord_engine"], Path(file))
        app = _upgraded_app()  # a backup from an older release gets this release's migrations
        with app.app_context():
            from concord.db import request_session

            n = reindex(request_session(), app.config["INDEX_DIR"])
        click.echo(f"Restored {where} from {file}; {n} workspace articles reindexed")

    @user.command("password")
    @click.argument("name")
    def user_password(name):
        """Set a user's password from standard input; every session of theirs ends."""
        from concord.accounts.sign_in_sessions import change_password

        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            _fail("no password on standard input")
        app = _upgraded_app()
        with app.app_context():
            from concord.db import request_session

            change_password(request_session(), name, password)
        click.echo(f"Password of {name} changed; their sessions have ended", err=True)

    @user.command("sign-out")
    @click.argument("name")
    def user_sign_out(name):
        """End every session of a user (they must sign in again)."""
        from concord.accounts.sign_in_sessions import end_sessions_of

        app = _upgraded_app()
        with app.app_context():
            from concord.db import request_session

            n = end_sessions_of(request_session(), name)
        click.echo(f"Ended {n} session(s) of {name}")
