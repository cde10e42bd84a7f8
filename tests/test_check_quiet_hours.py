"""Issue 17: `planner check` finds a live or pinned post in quiet hours without planning.

Before, only `plan` noticed (a campaign's live: exit 2; a live item: silently never posted).
"""

from __future__ import annotations

from pathlib import Path

from conftest import line_of, replace_in, write

from planner.cli import main
from planner.workspace.check import check_workspace
from planner.workspace.resources import builtin_rules

CAPS_LINE = "built-in rules/caps.yaml:{}"
LIVE_ITEM = """---
id: late-live
kind: live
title: 深夜直播
stages: [retention, conversion]
group_types: [long_term]
value: 9
start: {start}
duration_minutes: 60
---
今晚直播
"""


def _quiet_line() -> str:
    return CAPS_LINE.format(line_of(builtin_rules() / "caps.yaml", "quiet_hours:"))


def test_the_demo_has_no_live_in_quiet_hours(demo_copy: Path) -> None:
    _, findings = check_workspace(demo_copy)
    assert not [f for f in findings.items if "quiet hours" in f.message]


def test_a_live_campaign_starting_in_quiet_hours_is_an_error(runner, demo_copy: Path) -> None:
    campaigns = demo_copy / "campaigns.yaml"
    replace_in(campaigns, "start: 2026-11-28 20:00", "start: 2026-11-28 23:00")
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert result.exit_code == 1
    line = line_of(campaigns, "start: 2026-11-28 23:00")
    assert (
        f"{campaigns}:{line}: live campaign tea-tasting-live 2026-11-28 23:00 in group "
        f"'tea-lovers' is inside the group's quiet hours 22:30-07:00 ({_quiet_line()})"
        in result.output
    )


def test_the_group_that_set_the_quiet_hours_is_cited(demo_copy: Path) -> None:
    groups = demo_copy / "groups.yaml"
    replace_in(
        groups,
        "tags: [tea, shanghai]",
        'tags: [tea, shanghai]\n    caps: {quiet_hours: "19:00-08:00"}',
    )
    _, findings = check_workspace(demo_copy)
    [error] = [f for f in findings.conflicts if "tea-tasting-live" in f.message]
    assert error.path.endswith("campaigns.yaml")
    assert f"quiet hours 19:00-08:00 ({groups}:{line_of(groups, 'quiet_hours')})" in error.message
    assert "in group 'tea-lovers'" in error.message


def test_a_live_item_starting_in_quiet_hours_is_an_error_per_group(demo_copy: Path) -> None:
    item = write(
        demo_copy / "content_library/live/late-live.md", LIVE_ITEM.format(start="2026-11-25 23:00")
    )
    _, findings = check_workspace(demo_copy)
    found = [f for f in findings.items if "late-live" in f.message]
    assert [(f.path, f.line, f.severity) for f in found] == [
        (str(item), line_of(item, "start:"), "conflict")  # `check` fails on it, `plan` not
    ]
    assert "in group 'tea-lovers'" in found[0].message  # the one long_term group


def test_a_live_item_outside_quiet_hours_is_not_reported(demo_copy: Path) -> None:
    write(
        demo_copy / "content_library/live/late-live.md", LIVE_ITEM.format(start="2026-11-25 20:00")
    )
    _, findings = check_workspace(demo_copy)
    assert not [f for f in findings.items if "late-live" in f.message]


def test_a_lock_pinned_in_quiet_hours_is_an_error(demo_copy: Path) -> None:
    locks = write(
        demo_copy / "locks.yaml",
        "locks:\n  - {group: tea-lovers, item: article-tea-knowledge,\n"
        '     at: "2026-11-25 06:00"}\n',
    )
    _, findings = check_workspace(demo_copy)
    [error] = [f for f in findings.conflicts if "quiet hours" in f.message]
    assert (error.path, error.line) == (str(locks), 3)
    assert error.message.startswith(
        "lock of article-tea-knowledge 2026-11-25 06:00 in group 'tea-lovers' is inside"
    )
