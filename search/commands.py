"""`concord worker`: apply the workspace-index outbox outside the web processes."""

from __future__ import annotations

import click


@click.command()
@click.option("--once", is_flag=True, help="Apply what is waiting, then exit.")
@click.option("--interval", default=1.0, type=click.FloatRange(0.05, 60), show_default=True)
@click.option("--batch", default=200, type=click.IntRange(1, 10000), show_default=True)
@click.option("--lease-seconds", default=60.0, type=click.FloatRange(1, 3600), show_default=True)
def worker(once, interval, batch, lease_seconds):
    """Apply the workspace-index outbox (for deployments that set CONCORD_INDEX_WORKER=off)."""
    import time

    from concord.app import create_app
    from concord.schema import upgrade
    from search.services.outbox import pending_jobs, run_once

    app = create_app({"INDEX_WORKER": "off"})
    upgrade(app.extensions["concord_engine"])
    factory, index_dir = app.extensions["concord_sessions"], app.config["INDEX_DIR"]
    click.echo(f"index worker: applying the outbox into {index_dir}", err=True)
    while True:
        n = run_once(factory, index_dir, batch=batch, lease_seconds=lease_seconds)
        if n:
            click.echo(f"index worker: applied {n} job(s)", err=True)
        if once:
            with factory() as s:
                if not pending_jobs(s):
                    break
        time.sleep(interval)
