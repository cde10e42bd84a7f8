"""Issue 21: a 200-group week syncs into a real Radicale server, and after a re-plan (ten
groups gone, five new) the next sync writes exactly what changed, through the server's
sync token: one event per UID, nothing written when nothing changed. Marked slow (two
plans of 200 groups and some 700 PUTs); it runs in CI with the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from test_outputs_clients import radicale  # noqa: F401 (the fixture)
from test_sync import BY_TOKEN, _stored, calendar  # noqa: F401 (the fixture)
from tiny import build, group, items_of

from planner.cli import main

GROUPS = 200
# One check-in a day from Friday, when the groups start: 600 posts, each operator's problem
# small. Radicale looks for a UID clash among all of a calendar's events on every PUT, so
# its time grows with the square of the posts (a full week, 1,400 posts: several minutes).
ITEMS = items_of(("ck", "checkin", {"repeat": "daily", "window": "07:00-09:00"}))
SETTINGS = {"slot_minutes": 60, "group_grids_max_groups": 0}
DAYS = 3  # Friday to Sunday
TIMELINE = [{"from": "2026-11-27", "stage": "retention"}]


def _groups(numbers: range) -> list[dict]:
    return [group(f"g{n:03d}", operator=f"op{n % 20}", stages=TIMELINE) for n in numbers]


def _plan(runner, ws: Path) -> dict[str, tuple[int, bool]]:
    """uid -> (SEQUENCE, cancelled) of the week as planned."""
    result = runner.invoke(main, ["plan", str(ws), "--week", "2026-11-23", "--time-limit", "1"])
    assert result.exit_code == 0, result.output
    week = json.loads((ws / "outputs/2026-W48/plan.json").read_text("utf-8"))
    return {
        **{p["uid"]: (p["sequence"], False) for p in week["posts"]},
        **{p["uid"]: (p["sequence"], True) for p in week["cancelled"]},
    }


def _sync(runner, ws: Path, url: str) -> str:
    args = ["sync", str(ws), "--week", "2026-11-23", "--caldav", url, "--user", "planner"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow
def test_a_200_group_week_syncs_and_resyncs_what_changed(
    tmp_path: Path,
    runner,
    calendar,  # noqa: F811
) -> None:
    _, url = calendar
    ws = build(tmp_path / "ws", _groups(range(GROUPS)), ITEMS, settings=SETTINGS).root
    first = _plan(runner, ws)
    assert len(first) == DAYS * GROUPS
    assert f"sent {len(first)} create, 0 update, 0 delete" in _sync(runner, ws, url)

    groups = _groups(range(10, GROUPS + 5))  # g000..g009 dropped, g200..g204 new
    (ws / "groups.yaml").write_text(yaml.safe_dump({"groups": groups}), "utf-8")
    second = _plan(runner, ws)
    new = {uid for uid in second if uid not in first}
    changed = {uid for uid in second if uid in first and second[uid] != first[uid]}
    assert len(new) == DAYS * 5 and sum(second[uid][1] for uid in changed) == DAYS * 10
    output = _sync(runner, ws, url)
    assert f"sent {len(new)} create, {len(changed)} update, 0 delete" in output
    assert BY_TOKEN in output

    stored = _stored(url)  # asserts one event per UID
    assert {uid: sequence for uid, (sequence, _, _) in stored.items()} == {
        "dentist@example.org": 0,
        **{uid: sequence for uid, (sequence, _) in second.items()},
    }
    cancelled = {uid for uid, (_, status, _) in stored.items() if status == "CANCELLED"}
    assert cancelled == {uid for uid, (_, gone) in second.items() if gone}
    assert "sent 0 create, 0 update, 0 delete" in _sync(runner, ws, url)
