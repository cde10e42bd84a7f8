"""Issue 17: a date that is not on the calendar is a `file:line` finding, never a crash.

`from: 2026-11-31` made the YAML loader raise and `planner check` exit 3.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import line_of, replace_in, write

from planner.cli import main

ITEM = """---
id: my-live
kind: live
title: 我的直播
stages: [retention]
value: 5
valid_from: %s
start: %s
duration_minutes: 60
---
今晚直播
"""

HOLIDAYS = """year: 2027
days_off:
  - {name: 春节, from: 2027-02-10, to: %s}
"""
LOCK_AT = "locks:\n  - {group: tea-lovers, item: live-tea-tasting, at: %s}\n"


EDITS = [  # (file, the impossible date, the text around it, the text it replaces or None)
    (
        "groups.yaml",
        "2026-11-31",
        "{from: %s, stage: retention}",
        "{from: 2026-11-01, stage: retention}",
    ),
    (
        "groups.yaml",
        "2026-02-29",
        "tags: [tea, shanghai]\n    event_end: %s",
        "tags: [tea, shanghai]",
    ),
    ("campaigns.yaml", "2026-11-31 20:00", "launch_at: %s", "launch_at: 2026-11-26 20:00"),
    ("campaigns.yaml", "2026-13-09", "start: %s", "start: 2026-11-09"),
    (
        "locks.yaml",
        "2026-11-31",
        "locks:\n  - {group: tea-lovers, date: %s, no_posts: true}\n",
        None,
    ),
    ("locks.yaml", "2026-11-31 20:00:00", LOCK_AT, None),
    ("content_library/live/my-live.md", "2026-04-31", ITEM % ("%s", "2026-11-28 20:00"), None),
    ("content_library/live/my-live.md", "2026-11-31 20:00", ITEM % ("2026-11-01", "%s"), None),
    ("rules/holidays/2027.yaml", "2027-02-30", HOLIDAYS, None),
]


@pytest.mark.parametrize(("file", "day", "text", "replaces"), EDITS)
def test_impossible_date_is_a_finding_at_its_line(
    runner, demo_copy: Path, file: str, day: str, text: str, replaces: str | None
) -> None:
    path = demo_copy / file
    if replaces is None:
        write(path, text % day)
    else:
        replace_in(path, replaces, text % day)
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert result.exit_code == 1, result.output
    expected = f"{path}:{line_of(path, day)}: '{_key(text)}' {day} does not exist"
    assert expected in result.output, result.output
    assert "; expected a date that exists, like 2026-11-30" in result.output


def _key(text: str) -> str:
    """The key written just before `%s` in an edit's text."""
    return text.split("%s")[0].rstrip(": ").split()[-1].lstrip("{")


def test_impossible_date_also_stops_plan_with_exit_1(runner, demo_copy: Path, tmp_path) -> None:
    replace_in(demo_copy / "groups.yaml", "from: 2026-11-01", "from: 2026-11-31")
    args = ["plan", str(demo_copy), "--week", "2026-11-23", "--out", str(tmp_path / "out")]
    result = runner.invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "groups.yaml:" in result.output and "2026-11-31 does not exist" in result.output


def test_a_date_shaped_text_value_stays_text(demo_copy: Path) -> None:
    """Outside date fields (a group's vars) an impossible date is just the text written."""
    from planner.errors import Findings
    from planner.workspace.load import load_workspace

    replace_in(demo_copy / "groups.yaml", "owner: 王姐", "owner: 王姐, since: 2026-11-31")
    findings = Findings()
    ws = load_workspace(demo_copy, findings)
    assert not findings.errors
    assert ws.group("tea-lovers").vars["since"] == "2026-11-31"
