"""Pictures of learned attention: written by `planner learn` (per group and per type) and
by `planner plan` (per group, with the planned posts), the same bytes every run, offline."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from chat_exports import SHANGHAI, daily, wecom
from tiny import build, group, items_of

from planner.cli import main

ITEMS = items_of(
    ("ck", "checkin", {"repeat": "daily"}),
    *[(f"a{n}", "article", {"repeat": "daily", "value": 5}) for n in range(4)],
)


def learned_workspace(tmp_path: Path, runner) -> Path:
    root = tmp_path / "ws"
    build(root, [group("tea", chat_ids=["wr-tea"]), group("other")], ITEMS)
    history = daily(datetime(2026, 9, 28, tzinfo=SHANGHAI), 56, (15, 16), 3)
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
