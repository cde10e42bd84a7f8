"""The `planner` command: a thin layer over the library that turns errors into one-line messages.

Exit codes: 0 ok, 1 bad input, 2 infeasible week, 3 internal error.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from planner import __version__
from planner.errors import PlannerError

EXIT_OK, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL = 0, 1, 2, 3


class _Group(click.Group):
    """Catches whatever escapes a command: users see one line, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PlannerError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            ctx.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as exc:  # last line of defence
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            click.echo(
                f"internal error: {type(exc).__name__}: {exc}; "
                "please report it (run again with --debug for the traceback)",
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
def check(workspace: Path | None) -> None:
    """Validate a workspace and report every problem at once.

    Prints one line per problem as `file:line: what is wrong; what is
    expected` and exits 1 when there is any; exits 0 when the workspace is
    clean. Without WORKSPACE it checks the current folder.

    \b
    Example:
      planner check examples/demo
    """
    from planner.check import check_workspace

    root = workspace or Path(".")
    ws, problems = check_workspace(root)
    for problem in problems.warnings:
        click.echo(str(problem), err=True)
    errors = problems.errors
    for problem in errors:
        click.echo(str(problem), err=True)
    if errors:
        click.echo(f"{len(errors)} problem(s) found in {root}", err=True)
        sys.exit(EXIT_INPUT)
    assert ws is not None
    click.echo(
        f"{root}: OK ({len(ws.groups)} groups, {len(ws.items)} items, "
        f"{len(ws.campaigns)} campaigns)"
    )


if __name__ == "__main__":
    main()
