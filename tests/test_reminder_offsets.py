"""Issue 17, item 4: a reminder goes out at the offset its binding or item states.

Before, a live's reminders shared its reminder windows: "明晚…" could go one hour before
the live and "还有 1 小时" the evening before.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_campaigns import FILLER, at, of, solve, with_campaigns
from test_scheduler_rules import moved, rules_broken
from tiny import group, items_of

from planner.workspace.check import check_workspace
from planner.workspace.relative_day import when_anchor

LIVE = "2026-11-25 20:00"


def _live(bindings: list[dict]) -> dict:
    return {
        "id": "tasting",
        "kind": "live",
        "name": "品鉴直播",
        "targets": {"groups": ["g"]},
        "start": LIVE,
        "duration_minutes": 60,
        "items": [{"item": "show", "role": "live"}, *bindings],
    }


def _workspace(root: Path, bindings: list[dict], **reminder_fields):
    items = FILLER + items_of(
        ("show", "live", {}),
        ("soon", "reminder", reminder_fields.get("soon", {})),
        ("eve", "reminder", reminder_fields.get("eve", {})),
    )
    groups = [group("g", caps={"min_gap_minutes": 30})]
    return with_campaigns(root, groups, items, [_live(bindings)])


# The binding order puts "soon" first: without offsets the solver may swap the two.
BOUND = [
    {"item": "soon", "role": "reminder", "before": "60m"},
    {"item": "eve", "role": "reminder", "before": "1d"},
]


def test_reminders_go_out_at_their_binding_offsets(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, BOUND)
    plan = solve(ws)
    [soon], [eve] = of(plan, "soon"), of(plan, "eve")
    assert soon.start == at("2026-11-25 19:00")
    assert eve.start == at("2026-11-24 20:00")


def test_an_items_own_offset_counts_and_a_binding_overrides_it(tmp_path: Path) -> None:
    bindings = [
        {"item": "soon", "role": "reminder"},
        {"item": "eve", "role": "reminder", "before": "2h"},
    ]
    ws = _workspace(tmp_path, bindings, soon={"before": "60m"}, eve={"before": "1d"})
    plan = solve(ws)
    assert [p.start for p in of(plan, "soon")] == [at("2026-11-25 19:00")]
    assert [p.start for p in of(plan, "eve")] == [at("2026-11-25 18:00")]


def test_a_reminder_moved_off_its_offset_is_a_violation(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, BOUND)
    plan = solve(ws)
    [soon] = of(plan, "soon")
    assert rules_broken(ws, plan) == set()
    broken = rules_broken(ws, moved(plan, soon, at("2026-11-25 18:00")))
    assert {"campaign_need", "campaign_window"} <= broken


@pytest.mark.parametrize("value", ["1", "1 day", "0m", "-1d", "90s"])
def test_a_bad_offset_is_a_file_line_error(tmp_path: Path, value: str) -> None:
    ws = _workspace(tmp_path, BOUND)
    assert ws is not None
    text = yaml.safe_dump({"campaigns": [_live([{**BOUND[0], "before": value}])]}, sort_keys=False)
    (tmp_path / "campaigns.yaml").write_text(text, "utf-8")
    line = 1 + next(n for n, row in enumerate(text.splitlines()) if "before:" in row)
    _, findings = check_workspace(tmp_path)
    [error] = findings.errors
    assert f"campaigns.yaml:{line}" in str(error) and "before" in str(error)


def test_the_built_in_live_reminders_carry_the_offsets_their_text_says() -> None:
    library = Path(__file__).parent.parent / "content_library" / "reminder"
    for name, offset in (("reminder-live-day-before", "1d"), ("reminder-live-soon", "60m")):
        front = (library / f"{name}.md").read_text("utf-8").split("---")[1]
        assert yaml.safe_load(front)["before"] == offset, name


def test_when_anchor_says_the_anchors_day_from_the_posts_day(tmp_path: Path) -> None:
    body = "{{ post.when_anchor }}开直播"
    items = FILLER + items_of(("show", "live", {}))
    items += [
        {**spec, "body": body}
        for spec in items_of(("soon", "reminder", {}), ("eve", "reminder", {}))
    ]
    groups = [group("g", caps={"min_gap_minutes": 30})]
    bindings = [
        {"item": "soon", "role": "reminder", "before": "60m"},
        {"item": "eve", "role": "reminder", "before": "2d"},
    ]
    ws = with_campaigns(tmp_path, groups, items, [_live(bindings)])
    plan = solve(ws)
    assert [p.text for p in of(plan, "soon")] == ["今晚开直播"]
    assert [p.text for p in of(plan, "eve")] == ["后天晚上开直播"]


@pytest.mark.parametrize(
    ("start", "anchor", "locale", "said"),
    [
        ("2026-11-24 20:00", "2026-11-25 20:00", "zh-CN", "明晚"),
        ("2026-11-24 09:00", "2026-11-25 14:00", "zh-CN", "明天"),
        ("2026-11-25 19:00", "2026-11-25 20:00", "zh-CN", "今晚"),
        ("2026-11-20 19:00", "2026-11-25 20:00", "zh-CN", "11月25日晚上"),
        ("2026-11-24 19:00", "2026-11-25 20:00", "en", "tomorrow evening"),
    ],
)
def test_when_anchor_words(start: str, anchor: str, locale: str, said: str) -> None:
    assert when_anchor(at(start), at(anchor), locale) == said


def test_a_day_and_time_at_places_the_reminder_on_that_day_and_clock(tmp_path: Path) -> None:
    bindings = [
        {"item": "soon", "role": "reminder", "at": "0d 18:30"},
        {"item": "eve", "role": "reminder", "at": "-1d 20:00"},
    ]
    ws = _workspace(tmp_path, bindings)
    plan = solve(ws)
    assert [p.start for p in of(plan, "soon")] == [at("2026-11-25 18:30")]
    assert [p.start for p in of(plan, "eve")] == [at("2026-11-24 20:00")]
    assert rules_broken(ws, plan) == set()
    [eve] = of(plan, "eve")
    assert {"campaign_need", "campaign_window"} <= rules_broken(
        ws, moved(plan, eve, at("2026-11-24 12:00"))
    )


def test_a_stated_offset_wins_over_the_items_own_window(tmp_path: Path) -> None:
    """An item that goes out 07:30-10:00 bound `at: "-1d 20:00"` goes at 20:00 (the README
    says the offset wins; the item's window used to make the week infeasible)."""
    bindings = [{"item": "eve", "role": "reminder", "at": "-1d 20:00"}]
    ws = _workspace(tmp_path, bindings, eve={"window": "07:30-10:00"})
    plan = solve(ws)
    assert [p.start for p in of(plan, "eve")] == [at("2026-11-24 20:00")]
    assert rules_broken(ws, plan) == set()


def test_an_items_own_day_and_time_at_counts(tmp_path: Path) -> None:
    bindings = [{"item": "soon", "role": "reminder"}, {"item": "eve", "role": "reminder"}]
    ws = _workspace(tmp_path, bindings, soon={"before": "2h"}, eve={"at": "-2d 09:00"})
    plan = solve(ws)
    assert [p.start for p in of(plan, "eve")] == [at("2026-11-23 09:00")]


@pytest.mark.parametrize(
    ("binding", "said"),
    [
        ({"at": "1d 08:00"}, "after the anchor's day"),
        ({"at": "-1d 20:00", "before": "1d"}, "either before or at"),
        ({"at": "-1d 20:00", "day": -1}, "drop day"),
        ({"at": "yesterday"}, "time"),
    ],
)
def test_a_bad_at_is_a_file_line_error(tmp_path: Path, binding: dict, said: str) -> None:
    assert _workspace(tmp_path, BOUND) is not None
    bad = {"item": "soon", "role": "reminder", **binding}
    text = yaml.safe_dump({"campaigns": [_live([bad])]}, sort_keys=False)
    (tmp_path / "campaigns.yaml").write_text(text, "utf-8")
    _, findings = check_workspace(tmp_path)
    [error] = findings.errors
    assert "campaigns.yaml:" in str(error) and said in str(error), str(error)
