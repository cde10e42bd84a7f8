"""Pictures of learned attention: written by `planner learn` (per group and per type) and
by `planner plan` (per group, with the planned posts), the same bytes every run, offline."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from chat_exports import SHANGHAI, daily, wecom
from tiny import build, group, items_of

from planner.cli import main
from planner.learn.facts import with_attention
from planner.plan import GroupDayFacts
from planner.workspace.check import check_workspace
from planner.workspace.rulepacks import peaks_on

ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily"}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 5}) for n in range(4)],
)


def learned_workspace(tmp_path: Path, runner, per_hour: int = 3) -> Path:
    root = tmp_path / "ws"
    build(root, [group("tea", chat_ids=["wr-tea"]), group("other")], ITEMS)
    history = daily(datetime(2026, 9, 28, tzinfo=SHANGHAI), 56, (15, 16), per_hour)
    export = wecom(tmp_path / "a.jsonl", "wr-tea", history)
    assert runner.invoke(main, ["learn", str(root), str(export)]).exit_code == 0
    return root


def test_learn_draws_each_group_and_type(tmp_path: Path, runner) -> None:
    root = learned_workspace(tmp_path, runner)
    drawn = sorted(p.name for p in (root / "learned").glob("*.svg"))
    assert drawn == ["tea.svg", "type-long_term.svg"]
    svg = (root / "learned" / "tea.svg").read_text("utf-8")
    assert "<svg" in svg and "learned" in svg and "type default" in svg


def test_plan_shows_the_learned_groups_picture_with_its_posts(tmp_path: Path, runner) -> None:
    root = learned_workspace(tmp_path, runner)
    weeks = []
    for run in ("a", "b"):
        out = tmp_path / run
        result = runner.invoke(main, ["plan", str(root), "--week", "2026-11-23", "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "learned attention (learned/attention.yaml) for 1 group(s): tea" in result.output
        weeks.append(out / "2026-W48")
    first, second = weeks
    assert sorted(p.name for p in (first / "attention").iterdir()) == ["tea.svg"]
    svg = (first / "attention" / "tea.svg").read_bytes()
    assert svg == (second / "attention" / "tea.svg").read_bytes()  # same input, same bytes
    assert b"<script" not in svg and b"https://" not in svg  # offline: nothing fetched
    assert svg.count(b'id="line2d_') >= 2  # two profiles and the post marks
    report = (first / "report.md").read_text("utf-8")
    assert report.count("](attention/") == 1 and "](attention/tea.svg)" in report
    page = (first / "index.html").read_text("utf-8")
    assert page.count('<figure class="attention"><svg') == 1


def test_a_learned_groups_peaks_are_its_hours_above_the_base(tmp_path: Path, runner) -> None:
    """The report's "in attention peaks" for a learned group: its hours above the base
    weight. Its quiet hours (weight 0) are windows too, but no peak."""
    ws = check_workspace(learned_workspace(tmp_path, runner, per_hour=20))[0]
    monday = date(2026, 11, 23)
    learned = peaks_on(ws.rules, ws.group("tea").type, monday, "tea")
    assert any(p.weight == 0 for p in learned) and any(p.weight > 1 for p in learned)
    [day] = with_attention(ws, [GroupDayFacts(group="tea", date=monday, stage="retention")])
    assert day.peaks == [p.window for p in learned if p.weight > 1]
    assert len(day.attention) == len(day.default_attention) == 24
