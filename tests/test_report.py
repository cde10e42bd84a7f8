"""report.md from the finished week alone: the group-days and unplaced items the plan carries,
worked out where the week is planned (planner.run.facts)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from test_campaigns import with_campaigns
from tiny import WEEK, build, group, items_of

from planner.campaigns.build import playbook
from planner.models.common import Stage, TimeWindow
from planner.plan import GroupDayFacts, Plan, Post, Unplaced
from planner.run.facts import week_facts, why_not_placed
from planner.solver.explain import Conflict
from planner.solver.problem import group_days
from planner.workspace.rulepacks import peaks_on, resolve_caps
from planner.writers.report import report_chunks, report_pieces

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _post(group_id: str, item: str, kind: str, start: datetime) -> Post:
    return Post(
        group=group_id,
        item=item,
        kind=kind,
        title=item,
        stage="retention",
        operator="op",
        start=start,
        end=start + timedelta(minutes=30),
        timezone="Asia/Shanghai",
        text=item,
        value=1,
    )


def _share(posts: list[Post] | None = None, **lists) -> Plan:
    return Plan(
        workspace="tiny",
        week="2026-W48",
        week_start=WEEK,
        timezone="Asia/Shanghai",
        slot_minutes=30,
        posts=posts or [],
        problems=[],
        **lists,
    )


def test_report_shows_the_stage_cap_and_peaks_the_plan_carries(tmp_path: Path) -> None:
    """The report prints the plan's group-days as they are (a per_day cap of 4, one peak
    window 19:00-21:00) and its unplaced items with their reasons; it works nothing out."""
    ws = build(tmp_path, [group("g")], items_of(("a", "article", {})))
    evening = TimeWindow.model_validate("19:00-21:00")
    days = [GroupDayFacts(group="g", date=WEEK)]  # Monday: before the group's timeline
    days += [
        GroupDayFacts(group="g", date=WEEK + timedelta(days=n), stage="retention", per_day=4)
        for n in range(1, 7)
    ]
    days[1] = days[1].model_copy(update={"peaks": [evening]})
    tuesday = datetime(2026, 11, 24, tzinfo=SHANGHAI)
    posts = [
        _post("g", "a", "article", tuesday.replace(hour=19, minute=30)),
        _post("g", "c", "checkin", tuesday.replace(hour=8)),
    ]
    missing = Unplaced(campaign="cmp", group="g", item="x", role="launch", reason="a reason")
    pieces = report_pieces(ws, _share(posts=posts, days=days, unplaced=[missing]), ("g",))
    assert pieces["unplaced.md"] == "| cmp | g | x | launch | a reason |\n"
    rows = pieces["groups.md"].splitlines()
    assert rows[1] == "## g群 (g)"
    assert rows[5] == "| Mon 2026-11-23 | – | 0 / 0 | – | |"
    assert rows[6] == "| Tue 2026-11-24 | retention | 2 / 4 | 1/2 | article, checkin |"
    assert rows[7] == "| Wed 2026-11-25 | retention | 0 / 4 | – |  |"
    assert len(rows) == 12  # a blank line, the title, a blank, the table head (2), 7 days


def test_report_prints_the_weeks_warnings(tmp_path: Path) -> None:
    ws = build(tmp_path, [group("g")], items_of(("a", "article", {})))
    header = _share(warnings=["no holiday data for 2099"])
    text = "".join(report_chunks(ws, header, 0, 0, [], []))
    assert "> Warning: no holiday data for 2099\n" in text
    assert "Every item the campaigns request was placed." in text


def _launch_workspace(root: Path):
    """A launch whose items, when the plan leaves them out, each miss the week for another
    reason; the group's timeline starts on Wednesday."""
    items = items_of(
        ("teaser", "news", {}),
        ("onboarding-only", "reminder", {"stages": ["onboarding"]}),
        ("expired", "reminder", {"valid_until": "2026-11-01"}),
        ("fine", "reminder", {}),
    )
    campaign = {
        "id": "tea-launch",
        "kind": "launch",
        "name": "冬茶上新",
        "targets": {"groups": ["g"]},
        "launch_at": "2026-11-26 20:00",
        "deadline": "2026-11-28 22:00",
        "items": [
            {"item": "teaser", "role": "teaser"},
            {"item": "onboarding-only", "role": "launch"},
            {"item": "expired", "role": "reminder"},
            {"item": "fine", "role": "last_call"},
        ],
    }
    late = group("g", stages=[{"from": "2026-11-25", "stage": "retention"}])
    return with_campaigns(root, [late], items, [campaign])


def test_facts_give_each_group_day_and_why_each_request_is_not_placed(tmp_path: Path) -> None:
    ws = _launch_workspace(tmp_path)
    [g] = ws.groups
    days, unplaced = week_facts(ws, WEEK, playbook(ws, WEEK), ws.groups, [])
    assert [(d.date, d.stage) for d in days[:3]] == [
        (WEEK, None),
        (date(2026, 11, 24), None),
        (date(2026, 11, 25), "retention"),
    ]
    retention = resolve_caps(ws.rules.caps, g.type, Stage.retention, g.caps)
    assert days[0].per_day == 0 and days[2].per_day == retention.per_day > 0
    for day in days:
        assert day.peaks == [peak.window for peak in peaks_on(ws.rules, g.type, day.date)]
    chosen = (
        "not chosen: it could go out, but the week's limits (caps, one check-in a day, "
        "repeats) left room only for posts worth more"
    )
    expired = ws.library.docs["expired"].line(("valid_until",))
    assert [(u.item, u.role, u.reason) for u in unplaced] == [
        ("teaser", "teaser", chosen),
        # a campaign binds it: it may go out in any stage, so the plan could have chosen it
        ("onboarding-only", "launch", chosen),
        (
            "expired",
            "reminder",
            # said of the first day it is due (its window opens with the launch)
            f"expired is not valid on 2026-11-26 ({ws.items['expired'].source}:{expired})",
        ),
        ("fine", "last_call", chosen),
    ]
    fine = _post("g", "fine", "reminder", datetime(2026, 11, 27, 20, tzinfo=SHANGHAI))
    _, unplaced = week_facts(ws, WEEK, playbook(ws, WEEK), ws.groups, [fine])
    assert [u.item for u in unplaced] == ["teaser", "onboarding-only", "expired"]


def test_an_item_missing_or_for_another_group_type_is_named_so(tmp_path: Path) -> None:
    """Reasons the workspace check keeps out of campaigns.yaml, so only a direct call shows."""
    items = items_of(("a", "article", {}), ("for-events", "news", {"group_types": ["short_event"]}))
    ws = build(tmp_path, [group("g")], items)
    book = playbook(ws, WEEK)
    x = Conflict(ws, ws.groups, book)
    days = group_days(ws, ws.group("g"), 0, WEEK, book)
    assert why_not_placed(x, "gone", days) == "not in the content library"
    line = ws.library.docs["for-events"].line(("group_types",))
    assert why_not_placed(x, "for-events", days) == (
        f"for-events is for short_event groups ({ws.items['for-events'].source}:{line})"
    )
    assert why_not_placed(x, "a", days).startswith("not chosen")


def test_only_requests_due_this_week_are_listed(tmp_path: Path) -> None:
    """A launch of last week (and its deadline) asks nothing of this week: before, its
    items were listed as requested but not placed, each with a wrong reason."""
    ws = _launch_workspace(tmp_path)
    next_week = WEEK + timedelta(days=14)
    _, unplaced = week_facts(ws, next_week, playbook(ws, next_week), ws.groups, [])
    assert unplaced == []
    _, this_week = week_facts(ws, WEEK, playbook(ws, WEEK), ws.groups, [])
    assert [u.item for u in this_week] == ["teaser", "onboarding-only", "expired", "fine"]
