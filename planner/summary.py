"""What `planner plan` prints once the week is written: the numbers, the solver's proof,
what a re-plan changed, and which file is for what."""

from __future__ import annotations

from planner.writers.changes import summary_lines
from planner.writers.html import whole_page_is_index
from planner.writers.imports import import_lines
from planner.writers.load import imbalance


def echo_summary(published, settings) -> None:
    """The summary on stdout, its warnings (and the run's) on stderr."""
    import click

    lines, warnings = summary(published, settings)
    for line in [*published.warnings, *warnings]:
        click.echo(f"warning: {line}", err=True)
    for line in lines:
        click.echo(line)


def summary(published, settings) -> tuple[list[str], list[str]]:
    """(lines for stdout, warnings for stderr) about a written week."""
    result, folder = published.plan, published.folder
    statuses: dict[str, int] = {}
    for problem in result.problems:
        statuses[problem.status] = statuses.get(problem.status, 0) + 1
    worst = max((p.gap for p in result.problems), default=0.0)
    groups = sorted({g for p in result.problems for g in p.groups})
    lines = [
        f"week {result.week} ({result.week_start}): "
        f"{published.tally.posts} posts in {len(groups)} groups",
        "solver: "
        + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
        + f"; objective {sum(p.objective for p in result.problems)}, worst gap {worst:.2%}",
        "verified: no rule violated",
        *left_out_lines(result.left_out),
        *summary_lines(result.changes),
        f"written to {folder}/",
        *_files(published.tally, settings),
    ]
    uneven = imbalance(published.tally.by_operator, result.left_out)
    return lines, [*result.waivers, *result.shortfalls, *([uneven] if uneven else [])]


def left_out_lines(left_out) -> list[str]:
    """The groups left out of the week, each with its conflict."""
    if not left_out:
        return []
    lines = [
        f"left out: {len(left_out)} group(s) whose rules cannot all hold "
        "(their calendars keep the last run's events):"
    ]
    for entry in left_out:
        lines.append(f"  {entry.group} (operator {entry.operator}):")
        lines += [f"    {reason}" for reason in entry.reasons]
    return lines


def _files(tally, settings) -> list[str]:
    out = []
    index = tally.calendar_is_index(settings)
    if index:
        out.append("  calendar.ics          an index: the week is too large for one import")
    out.append("  import into your calendar app (which file where):")
    lines = import_lines(tally.imports, index)
    out += ["    " + line.removeprefix("- ").replace("`", "") for line in lines]
    if whole_page_is_index(tally.posts, settings):
        out.append("  index.html            links each operator's page (too many posts)")
        out.append("  operators/<id>.html   open on your phone: one copy button per post")
    else:
        out.append("  index.html            open on your phone; operators/<id>.html: yours only")
    out.append("  scripts/<group>.md    each group's week; operators/<operator>.md: run sheets")
    out.append("  report.md, plan.json  caps, peaks and the solver's proof; machine-readable plan")
    return out
