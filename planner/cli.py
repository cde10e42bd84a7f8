"""The `planner` command: a thin layer over the library that turns errors into one-line messages.

Exit codes: 0 ok, 1 bad input, 2 infeasible week (nothing could be planned), 3 internal
error, 4 planned with groups left out (their rules cannot all hold), 64 usage error (a
missing or malformed option: click's own 2 would read as an infeasible week)."""

from __future__ import annotations

import sys
import traceback
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from planner import __version__
from planner.errors import PlannerError, crash_report
from planner.weeks import parse_week, relative_week, resolve_week
from planner.workspace.check_week import unmet_in_week

EXIT_OK, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_LEFT_OUT = 4  # planned and written, but some groups' rules cannot all hold
EXIT_USAGE = 64  # EX_USAGE of sysexits.h


class _Group(click.Group):
    """Catches whatever escapes a command: users see one line, never a traceback."""

    def make_context(self, *args, **kwargs) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:  # `planner --bogus`
            exc.exit_code = EXIT_USAGE
            raise

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:  # a command's options, or an unknown command
            exc.exit_code = EXIT_USAGE
            raise
        except PlannerError as exc:
            for finding in exc.findings:
                click.echo(str(finding), err=True)
            ctx.exit(EXIT_INPUT)
        except BrokenPipeError:  # `planner ... | head`: the reader left; stop quietly
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(EXIT_OK)
        except KeyboardInterrupt as exc:
            written = getattr(exc, "written", None)  # a week published before the Ctrl-C
            if written is None:
                click.echo("interrupted: nothing was written, earlier outputs are intact", err=True)
            else:
                click.echo(f"interrupted: the week was written whole to {written}/", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as exc:  # last line of defence
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            report = crash_report(exc, __version__)
            click.echo(
                f"internal error: {type(exc).__name__}: {exc}; please report it with {report}",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(__version__, prog_name="planner")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Plan a week of posts for community chat groups.

    \b
    Example:
      planner check examples/demo
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.argument("workspace", required=False, type=click.Path(path_type=Path))
@click.option("--week", default="next", help="The week whose unmet demands to name (default next).")
def check(workspace: Path | None, week) -> None:
    """Validate a workspace and report every problem at once.

    Prints one line per problem as `file:line: what is wrong; what is
    expected` and exits 1 when there is any; exits 0 when the workspace is
    clean. Without WORKSPACE it checks the current folder.

    \b
    Example:
      planner check examples/demo
    """
    from planner.workspace.check import check_workspace

    root = workspace or Path(".")
    ws, findings = check_workspace(root)
    for finding in findings.warnings:
        click.echo(str(finding), err=True)
    errors = sorted(findings.errors + findings.conflicts)
    for finding in errors:
        click.echo(str(finding), err=True)
    if errors:
        click.echo(f"{len(errors)} problem(s) found in {root}", err=True)
        sys.exit(EXIT_INPUT)
    assert ws is not None
    click.echo(
        f"{root}: OK ({len(ws.groups)} groups, {len(ws.items)} items, "
        f"{len(ws.campaigns)} campaigns)"
    )
    _learned_note(ws)
    _unmet_note(ws, week)


def _unmet_note(ws, week: str) -> None:
    """What `plan` would leave out of the week, found without solving (warnings)."""
    try:
        day = resolve_week(week, today(ZoneInfo(ws.settings.timezone)))
    except ValueError as exc:
        raise click.UsageError(f"--week: {exc}") from None
    for reason in unmet_in_week(ws, day):
        click.echo(f"warning: week of {day}: {reason}", err=True)


def _learned_note(ws) -> None:
    """Which groups plan with a learned attention profile (`planner learn`)."""
    if note := __import__("planner.learn.profile", fromlist=["x"]).learned_note(ws.rules):
        click.echo(note)


def _load_or_exit(root: Path):
    from planner.workspace.check import check_workspace

    ws, findings = check_workspace(root)
    for finding in findings.warnings + findings.conflicts:  # a conflict's group is left out
        click.echo(str(finding), err=True)
    if findings.errors:
        for finding in findings.errors:
            click.echo(str(finding), err=True)
        click.echo(
            f"{len(findings.errors)} problem(s) found in {root}; fix them and plan again", err=True
        )
        sys.exit(EXIT_INPUT)
    return ws


def today(zone: ZoneInfo) -> date:
    """Today in the workspace's time zone: the planner's one clock (tests replace it)."""
    return datetime.now(zone).date()


class _Week(click.ParamType):
    """--week: a date, or 'this' / 'next' (resolved in the workspace's time zone)."""

    name = "week"

    def convert(self, value, param, ctx) -> date | str:
        try:
            return parse_week(value) if isinstance(value, str) else value
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@main.command()
@click.argument("workspace", required=False, type=click.Path(path_type=Path))
@click.option(
    "--week",
    "week",
    type=_Week(),
    metavar="DATE|this|next",
    required=False,
    help="The week to plan: any date in it, its ISO name (2026-W48), or 'this' / 'next' "
    "(today's week or the one after, in the workspace's time zone). Default: the demo week "
    "for the demo, else required.",
)
@click.option(
    "--out", type=click.Path(path_type=Path), help="Output folder (default WORKSPACE/outputs)."
)
@click.option(
    "--time-limit",
    default=10.0,
    show_default=True,
    help="Solver limit per problem, in deterministic seconds.",
)
@click.option("--workers", type=int, default=None, help="Parallel processes (default: all cores).")
@click.option(
    "--executor",
    "executor_name",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where problems are solved: local processes, or Ray (pip install community-planner[ray]).",
)
@click.option("--ray-address", default=None, help="Join an existing Ray cluster, e.g. 'auto'.")
def plan(
    workspace: Path | None,
    week,
    out: Path | None,
    time_limit: float,
    workers: int | None,
    executor_name: str,
    ray_address: str | None,
) -> None:
    """Plan a week and write calendars, posting scripts and the report into OUT/<ISO week>/.

    Without WORKSPACE it plans the built-in demo into ./outputs/. Exit codes:
    0 planned, 1 bad input, 2 nothing could be planned (the conflicts are printed),
    3 internal error, 4 planned with groups left out (each named with its conflict),
    64 usage error (e.g. --week missing for a workspace).

    \b
    Examples:
      planner plan examples/demo --week 2026-11-23
      planner plan my-community --week next
    """
    from planner.solver.problem import holiday_warnings
    from planner.workspace.resources import demo_workspace

    root = workspace if workspace is not None else demo_workspace()
    if out is None:
        out = (root / "outputs") if workspace is not None else Path("outputs")
    if week is None:
        if workspace is not None:
            raise click.UsageError("--week is required, e.g. --week 2026-11-23")
        week = DEMO_WEEK
    ws = _load_or_exit(root)
    day = (
        week
        if isinstance(week, date)
        else relative_week(week, today(ZoneInfo(ws.settings.timezone)))
    )
    for warning in holiday_warnings(ws, day):
        click.echo(f"warning: {warning}", err=True)
    _learned_note(ws)
    published = _publish(ws, day, out, time_limit, workers, executor_name, ray_address)
    _told(published, ws.settings)


def _told(published, settings) -> None:
    """The written week's summary, then the problems that gave no plan (their groups keep
    the last run's posts): exit 1 when damaged history files stopped them, else 3."""
    from planner.summary import echo_summary

    try:
        echo_summary(published, settings)
    except KeyboardInterrupt:
        from planner.writers.output import InterruptedAfterPublish

        raise InterruptedAfterPublish(published.folder) from None
    if published.plan.failed:
        for reason in published.plan.failed:
            click.echo(f"not planned: {reason}", err=True)
        click.echo(
            "the other groups were planned and written; those not planned keep the last "
            "run's posts (see report.md)",
            err=True,
        )
        sys.exit(EXIT_INPUT if published.failed_on_input() else EXIT_INTERNAL)
    if published.plan.left_out:
        sys.exit(EXIT_LEFT_OUT)


def _publish(ws, day, out: Path, time_limit, workers, executor_name, ray_address):
    """Plan and write the week with a progress bar; an infeasible week or a plan that breaks
    a rule ends the command with its exit code."""
    from planner.progress import Progress
    from planner.run.history import Past
    from planner.run.pipeline import PlanViolatesRules, plan_and_publish
    from planner.run.week import InfeasibleWeek

    progress = Progress()
    try:
        return plan_and_publish(
            ws,
            day,
            out,
            Past(out, day),
            time_limit,
            workers,
            executor_name,
            ray_address,
            on_problems=progress.start,
            on_done=progress.step,
        )
    except InfeasibleWeek as exc:
        progress.close()
        click.echo(f"week {exc.plan.week} cannot be planned; the rules in conflict:", err=True)
        for reason in exc.reasons:
            click.echo(f"  {reason}", err=True)
        click.echo("relax one of them (or change the stage timeline) and plan again", err=True)
        sys.exit(EXIT_INFEASIBLE)
    except PlanViolatesRules as exc:
        progress.close()
        for violation in exc.violations:
            click.echo(f"internal error: plan violates {violation}", err=True)
        sys.exit(EXIT_INTERNAL)
    finally:
        progress.close()


DEMO_WEEK = __import__("datetime").date(2026, 11, 23)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--from",
    "source",
    type=click.Choice(["demo", "blank"]),
    default="demo",
    show_default=True,
    help="Start from the demo's groups and campaigns, or from one example group.",
)
def init(directory: Path, source: str) -> None:
    """Create a workspace: settings, groups, campaigns, locks, examples and rule overrides.

    Existing files are never overwritten. The YAML files point editors at the
    JSON Schemas in .schemas/, so keys are completed and checked as you type.

    \b
    Example:
      planner init my-community --from blank
    """
    from planner.workspace.scaffold import init_workspace

    written, kept = init_workspace(directory, source)
    for path in kept:
        click.echo(f"kept existing {path}", err=True)
    click.echo(f"created {len(written)} files in {directory}/")
    click.echo(f"next: edit {directory}/groups.yaml, then `planner check {directory}`")


@main.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path(".schemas"),
    show_default=True,
    help="Folder for the JSON Schema files.",
)
def schema(out: Path) -> None:
    """Write JSON Schemas of every file you write (planner.yaml, groups.yaml, items...).

    Point your editor's YAML extension at them for completion and checking;
    `planner init` already does.

    \b
    Example:
      planner schema --out my-community/.schemas
    """
    from planner.workspace.scaffold import write_schemas

    for path in write_schemas(out):
        click.echo(str(path))


@main.command("add-item")
@click.argument(
    "kind",
    type=click.Choice(
        sorted(__import__("planner.models.items", fromlist=["ITEM_MODELS"]).ITEM_MODELS)
    ),
)
@click.argument("workspace", required=False, type=click.Path(path_type=Path), default=Path("."))
@click.option("--id", "item_id", help="The new item's id (default my-<kind>).")
def add_item(kind: str, workspace: Path, item_id: str | None) -> None:
    """Write a new content item of KIND with every field, the optional ones commented.

    The item is a draft (`status: draft`), never planned: write its title and text,
    then set `status: ready`.

    \b
    Example:
      planner add-item quiz my-community --id quiz-tea-origins
    """
    from planner.workspace.scaffold import add_item as write_item

    try:
        path = write_item(workspace, kind, item_id)
    except FileExistsError as exc:
        raise click.UsageError(f"{exc} exists already; choose another --id") from None
    click.echo(
        f"created {path} as a draft; write its title and the post below its front matter, "
        "set `status: ready`, then `planner check`"
    )


main.add_command(__import__("planner.learn.command", fromlist=["learn"]).learn)

main.add_command(__import__("planner.sync.command", fromlist=["sync"]).sync)

if __name__ == "__main__":
    main()
