"""`planner sync WORKSPACE --week W --caldav URL [--user U] [--dry-run]`: put a planned
week into a CalDAV calendar. The password comes from PLANNER_CALDAV_PASSWORD or the
netrc entry of the server's host, never from the command line."""

from __future__ import annotations

import netrc
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from planner.errors import PlannerError
from planner.solver.problem import iso_week, week_start
from planner.sync.state import known, remember
from planner.sync.week import published, wanted, writes

PASSWORD_ENV = "PLANNER_CALDAV_PASSWORD"
EXIT_SERVER = 1  # the server refused or failed: the next sync repairs what is half done


def credentials(url: str, user: str | None) -> tuple[str | None, str | None]:
    """(user, password): PLANNER_CALDAV_PASSWORD, else the host's netrc entry."""
    password = os.environ.get(PASSWORD_ENV)
    if password is not None:
        return user, password
    try:
        entry = netrc.netrc().authenticators(urlsplit(url).hostname or "")
    except (OSError, netrc.NetrcParseError):
        entry = None
    if entry is None:
        return user, None
    login, _, secret = entry
    return user or login, secret


@click.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option(
    "--week",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="Any date in the week to sync (it must be planned).",
)
@click.option("--caldav", "url", required=True, help="The calendar collection's URL.")
@click.option("--user", default=None, help="The CalDAV user (default: the netrc login).")
@click.option(
    "--out", type=click.Path(path_type=Path), help="Output folder (default WORKSPACE/outputs)."
)
@click.option("--dry-run", is_flag=True, help="List the writes; send none.")
def sync(workspace: Path, day, url: str, user: str | None, out: Path | None, dry_run: bool):
    """Put a planned week into a CalDAV calendar: create new posts, update changed ones in
    place by UID, cancel or delete dropped ones; events it did not write stay untouched.
    Exit codes: 0 synced, 1 bad input or the server failed (sync again to finish).
    The password: PLANNER_CALDAV_PASSWORD, else the server's ~/.netrc entry.

    \b
    Examples:
      planner sync my-community --week 2026-11-23 --caldav URL --dry-run
      PLANNER_CALDAV_PASSWORD=... planner sync my-community --week 2026-11-23 \\
          --caldav https://cloud.example.com/remote.php/dav/calendars/me/posts/ --user me
    """
    from planner.cli import _load_or_exit
    from planner.sync.server import Server

    ws = _load_or_exit(workspace)
    start = week_start(day.date())
    out = out or workspace / "outputs"
    plan = published(out / iso_week(start))
    want = wanted(plan, ws.settings)
    server = Server(url, *credentials(url, user))
    try:
        todo = writes(plan, want, server.ours(plan, known(out, url)))
        # kept before any write: the next sync's token then shows it each write it made
        remember(out, url, server.known)
        if dry_run:
            for write in todo:
                click.echo(f"would {write.what} {write.uid}")
        else:
            for _ in server.apply(todo, want):
                pass
    except PlannerError:
        raise
    except Exception as exc:  # caldav's and the HTTP library's errors alike
        click.echo(f"caldav: {type(exc).__name__}: {exc}; sync again to finish", err=True)
        sys.exit(EXIT_SERVER)
    counts = {what: sum(w.what == what for w in todo) for what in ("create", "update", "delete")}
    verb = "would send" if dry_run else "sent"
    click.echo(f"{plan.week}: {verb} " + ", ".join(f"{n} {w}" for w, n in counts.items()))
    click.echo(f"read from the calendar: {server.read}")
