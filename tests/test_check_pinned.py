"""`planner check` without solving: a pinned time (a live's own start, a live campaign's
start, a launch's launch_at, a lock's at) outside the operator's hours or inside the group's
quiet hours is an error at the pinned time's line, naming the setting's line."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import line_of, write
from tiny import build, group, items_of

from planner.cli import main

EVENINGS = {"operators": {"op": {"hours": {"weekday": "18:00-22:30", "weekend": "off"}}}}
ITEMS = items_of(("show", "live", {}), ("teaser", "news", {}), ("launch", "news", {}))


def _workspace(root: Path, settings=EVENINGS, caps=None, items=ITEMS) -> Path:
    extra = {"caps": caps} if caps else {}
    build(root, [group("g", stage="conversion", **extra)], items, None, settings)
    return root


def _campaigns(root: Path, *campaigns: dict) -> Path:
    text = yaml.safe_dump({"campaigns": list(campaigns)}, allow_unicode=True, sort_keys=False)
    return write(root / "campaigns.yaml", text)


LIVE = {
    "id": "morning-live",
    "kind": "live",
    "name": "早场直播",
    "targets": {"groups": ["g"]},
    "start": "2026-11-25 10:00",
    "items": [{"item": "show", "role": "live"}],
}
LAUNCH = {
    "id": "tea-launch",
    "kind": "launch",
    "name": "周六上新",
    "targets": {"groups": ["g"]},
    "launch_at": "2026-11-28 19:00",
    "deadline": "2026-11-30 22:00",
    "items": [{"item": "teaser", "role": "teaser"}, {"item": "launch", "role": "launch"}],
}


def test_campaign_times_outside_the_operators_hours_are_check_errors(
    tmp_path: Path, runner
) -> None:
    root = _workspace(tmp_path / "ws")
    campaigns = _campaigns(root, LIVE, LAUNCH)
    result = runner.invoke(main, ["check", str(root)])
    assert result.exit_code == 1, result.output
    settings = root / "planner.yaml"
    weekday, weekend = line_of(settings, "weekday:"), line_of(settings, "weekend:")
    assert (
        f"{campaigns}:{line_of(campaigns, 'start:')}: live campaign morning-live 2026-11-25 10:00 "
        "in group 'g' is outside its operator's hours: operator op works 18:00-22:30 on "
        f"weekdays ({settings}:{weekday}); a time inside those hours, or another operator "
        "for the group"
    ) in result.stderr
    assert (
        f"{campaigns}:{line_of(campaigns, 'launch_at:')}: launch tea-launch 2026-11-28 19:00 "
        "in group 'g' is outside its operator's hours: operator op is off on weekends and "
        f"public holidays ({settings}:{weekend})"
    ) in result.stderr
    assert "2 problem(s) found" in result.stderr


def test_a_live_in_quiet_hours_is_a_check_error(tmp_path: Path, runner) -> None:
    """The group's own quiet hours, cited at their line in groups.yaml; no hours set."""
    root = _workspace(tmp_path / "ws", settings={}, caps={"quiet_hours": "21:00-08:00"})
    campaigns = _campaigns(root, {**LIVE, "start": "2026-11-25 21:30"})
    result = runner.invoke(main, ["check", str(root)])
    assert result.exit_code == 1, result.output
    groups = root / "groups.yaml"
    assert (
        f"{campaigns}:{line_of(campaigns, 'start:')}: live campaign morning-live 2026-11-25 "
        "21:30 in group 'g' is inside the group's quiet hours 21:00-08:00 "
        f"({groups}:{line_of(groups, 'quiet_hours:')}); a time outside quiet hours, or the "
        "group's own caps.quiet_hours"
    ) in result.stderr


def test_a_lock_and_a_lives_own_start_are_checked_too(tmp_path: Path, runner) -> None:
    root = _workspace(tmp_path / "ws", items=items_of(("a", "article", {})))
    live = write(
        root / "content_library" / "live" / "own-live.md",
        "---\nid: own-live\nkind: live\ntitle: 早场\nduration_minutes: 60\n"
        "start: 2026-11-26 06:30\n---\n正文\n",
    )
    locks = write(
        root / "locks.yaml",
        "locks:\n  - group: g\n    item: a\n    at: 2026-11-24 12:00\n",
    )
    result = runner.invoke(main, ["check", str(root)])
    assert result.exit_code == 1, result.output
    assert (
        f"{locks}:{line_of(locks, 'at:')}: lock of a 2026-11-24 12:00 in group 'g' is outside "
        "its operator's hours"
    ) in result.stderr
    at_start = f"{live}:{line_of(live, 'start:')}: live own-live 2026-11-26 06:30 in group 'g' is "
    assert at_start + "outside its operator's hours" in result.stderr
    assert (
        at_start + "inside the group's quiet hours 22:30-07:00 (built-in rules/caps.yaml:"
    ) in result.stderr


def test_pinned_times_inside_hours_and_outside_quiet_hours_pass(tmp_path: Path, runner) -> None:
    root = _workspace(tmp_path / "ws")
    _campaigns(
        root, {**LIVE, "start": "2026-11-25 20:00"}, {**LAUNCH, "launch_at": "2026-11-27 19:00"}
    )
    result = runner.invoke(main, ["check", str(root)])
    assert result.exit_code == 0, result.output
