"""What `planner learn` prints: per export what was read, per group what was learned, and
every chat no group claims (listed, never guessed)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from planner.workspace.load import Workspace


def learn_lines(
    ws: Workspace,
    exports: list[Path],
    weeks: int | None,
    me: frozenset[str],
    plans: Path | None = None,
) -> tuple[list[str], list[str]]:
    """(lines for stdout, warnings for stderr)."""
    from planner.learn.run import learn as count_and_write
    from planner.learn.run import no_exports_read

    done = count_and_write(ws, exports, weeks, me, plans)
    lines, warnings = [], []
    for reading in done.counted.readings:
        lines.append(f"{reading.path}: {reading.format}, {reading.messages} messages read")
        if reading.skipped:
            warnings.append(
                f"{reading.path}: {reading.skipped} line(s) skipped, "
                f"the first at {reading.first_skip}"
            )
    error = no_exports_read(done.counted)
    if error is not None:
        raise error
    for group_id, entry in sorted(done.groups.items()):
        chats = [c for c in done.counted.chats.values() if c.group == group_id]
        duplicates = sum(c.duplicates for c in chats)
        lines.append(
            f"{group_id}: {entry.messages} members' messages over {entry.weeks} week(s), "
            f"{entry.from_} to {entry.to}"
            + (f" ({duplicates} already in an earlier export, counted once)" if duplicates else "")
        )
    for chat in done.unmatched:
        name = f" '{chat.chat_name}'" if chat.chat_name else ""
        warnings.append(
            f"chat {chat.chat_id}{name} matches no group ({chat.members} members' messages); "
            "add its id to the group's `chat_ids:` in groups.yaml to learn from it"
        )
    for item_id, seen in sorted(done.items.items()):
        lines.append(
            f"item {item_id}: {seen.posts} earlier post(s) found, {seen.replies} members' "
            f"replies within 30 minutes"
        )
    lines.append(f"wrote {done.path} (aggregates only: no message text, no member ids)")
    return lines, warnings


@click.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.argument("exports", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--weeks", type=click.IntRange(1, 520), default=None, help="Learn from the last N weeks only."
)
@click.option(
    "--me",
    multiple=True,
    help="A sender id of the operator's own account (Telegram 'user123'); repeatable. "
    "WeChat exports mark the exporting account's messages themselves.",
)
@click.option(
    "--plans",
    type=click.Path(path_type=Path),
    default=None,
    help="The output folder of earlier weeks, whose posts are looked for in the history "
    "(default WORKSPACE/outputs).",
)
def learn(workspace: Path, exports: tuple[Path, ...], weeks: int | None, me, plans) -> None:
    """Learn each group's attention hours from chat-history exports.

    Reads Telegram Desktop JSON, PyWxDump or MemoTrace CSV and WeCom archive JSON-lines
    exports (the format is detected from each file), matches chats to groups by their
    `chat_ids:` (else their name), and writes WORKSPACE/learned/attention.yaml: members'
    messages per hour of the week, never message text or member ids.

    \b
    Example:
      planner learn my-community result.json --weeks 16
    """
    from planner.cli import _load_or_exit

    ws = _load_or_exit(workspace)
    lines, warnings = learn_lines(ws, list(exports), weeks, frozenset(me), plans)
    for line in warnings:
        click.echo(f"warning: {line}", err=True)
    for line in lines:
        click.echo(line)
