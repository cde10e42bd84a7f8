"""Issue 17: a re-plan says what changed per group: posts moved (old -> new time), added,
cancelled; in the command's summary and in report.md."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from test_plan_command import _workspace
from test_report import _post as article

from planner.cli import main
from planner.plan import Post
from planner.run.revisions import changes_between
from planner.writers.changes import summary_lines

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=SHANGHAI)


def _post(group: str, item: str, start: datetime, text: str = "正文") -> Post:
    """A post with its UID made as post_uid makes it: of its group, item and date."""
    uid = f"{group}/{item}/{start.date()}"
    return article(group, item, "article", start).model_copy(update={"text": text, "uid": uid})


def test_changes_between_two_runs() -> None:
    tuesday = MONDAY + timedelta(days=1)
    before = [
        _post("tea", "same", MONDAY),
        _post("tea", "reworded", MONDAY + timedelta(hours=1)),
        _post("tea", "later", MONDAY + timedelta(hours=2)),
        _post("tea", "next-day", MONDAY + timedelta(hours=3)),
        _post("yoga", "dropped", MONDAY),
    ]
    after = [
        _post("tea", "same", MONDAY),
        _post("tea", "reworded", MONDAY + timedelta(hours=1), text="新的正文"),
        _post("tea", "later", MONDAY + timedelta(hours=4)),
        _post("tea", "next-day", tuesday),  # another day: another UID, still a move
        _post("yoga", "new", tuesday),
    ]
    found = [(c.group, c.item, c.what, c.before, c.after) for c in changes_between(before, after)]
    assert found == [
        ("tea", "later", "moved", MONDAY + timedelta(hours=2), MONDAY + timedelta(hours=4)),
        ("tea", "next-day", "moved", MONDAY + timedelta(hours=3), tuesday),
        ("yoga", "dropped", "cancelled", MONDAY, None),
        ("yoga", "new", "added", None, tuesday),
    ]
    lines = summary_lines(changes_between(before, after))
    assert lines[0] == "changes since the last run: 2 moved, 1 added, 1 cancelled"
    assert "  tea: moved later (later): Mon 2026-11-23 10:00 -> 12:00" in lines
    assert "  tea: moved next-day (next-day): Mon 2026-11-23 11:00 -> Tue 2026-11-24 08:00" in lines
    assert "  yoga: cancelled dropped (dropped): Mon 2026-11-23 08:00" in lines


def test_the_summary_is_cut_and_points_at_the_report() -> None:
    added = [_post("tea", f"i{n}", MONDAY + timedelta(minutes=30 * n)) for n in range(25)]
    lines = summary_lines(changes_between([], added), limit=20)
    assert len(lines) == 22 and lines[-1] == "  ... and 5 more in report.md"


def _plan(runner, ws: Path):
    result = runner.invoke(main, ["plan", str(ws), "--week", "2026-11-23", "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    return result.output, (ws / "outputs" / "2026-W48" / "report.md").read_text("utf-8")


def _posts(ws: Path) -> list[dict]:
    return json.loads((ws / "outputs" / "2026-W48" / "plan.json").read_text("utf-8"))["posts"]


def test_a_replan_prints_and_reports_what_changed(tmp_path: Path, runner) -> None:
    ws = _workspace(tmp_path)
    output, report = _plan(runner, ws)
    assert "changes since the last run" not in output  # the week's first run
    assert "## Changes since the last run" not in report
    wednesday = [p for p in _posts(ws) if p["group"] == "yoga" and "2026-11-25" in p["start"]]
    assert wednesday
    locks = {"locks": [{"group": "yoga", "date": "2026-11-25", "no_posts": True}]}
    (ws / "locks.yaml").write_text(yaml.safe_dump(locks), "utf-8")

    output, report = _plan(runner, ws)
    assert "changes since the last run: " in output
    section = report.split("## Changes since the last run")[1].split("## Requested")[0]
    assert "### yoga群 (yoga)" in section and "### tea群" not in section
    for post in wednesday:  # each of Wednesday's posts is gone from Wednesday
        when = f"Wed 2026-11-25 {post['start'][11:16]}"
        line = f"{post['title']} ({post['item']}): {when}"
        assert f"- cancelled {line}\n" in section or f"- moved {line} -> " in section
        assert "  yoga: " in output and line in output
    assert "changes" not in json.loads((ws / "outputs/2026-W48/plan.json").read_text("utf-8"))


def test_an_unchanged_replan_says_so_and_writes_the_same_report(tmp_path: Path, runner) -> None:
    ws = _workspace(tmp_path)
    _, first = _plan(runner, ws)
    output, report = _plan(runner, ws)
    assert "changes since the last run: none" in output
    assert report == first  # the same files as the first run (tests/test_weeks.py)


def test_a_removed_groups_posts_are_reported_cancelled(tmp_path: Path, runner) -> None:
    ws = _workspace(tmp_path)
    _plan(runner, ws)
    yoga = [p for p in _posts(ws) if p["group"] == "yoga"]
    groups = yaml.safe_load((ws / "groups.yaml").read_text("utf-8"))
    groups["groups"] = [g for g in groups["groups"] if g["id"] != "yoga"]
    (ws / "groups.yaml").write_text(yaml.safe_dump(groups, allow_unicode=True), "utf-8")
    output, report = _plan(runner, ws)
    assert f"changes since the last run: {len(yoga)} cancelled" in output
    assert "\n### yoga\n" in report  # no longer in the workspace: named by its id
    assert report.count("- cancelled ") == len(yoga)
