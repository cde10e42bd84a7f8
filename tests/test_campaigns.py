"""Each campaign kind on a tiny workspace: the plan keeps its playbook, a broken plan is caught."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from test_scheduler_rules import add, moved, post, rules_broken, without
from tiny import WEEK, build, group, items_of

from planner.campaigns.build import playbook
from planner.campaigns.timeline import stage_on
from planner.cli import main
from planner.plan import Plan
from planner.run.week import InfeasibleWeek, plan_week
from planner.verify.checker import verify
from planner.verify.objective import objective_of
from planner.workspace.check import check_workspace

SHANGHAI = ZoneInfo("Asia/Shanghai")
FILLER = items_of(*[(f"a{n}", "article", {"repeat": "daily", "value": 2 + n}) for n in range(4)])
NO_REQUIRED = {
    "stages": {
        "stages": {
            s: {"required": []}
            for s in ("launch", "onboarding", "activation", "retention", "reactivation")
        }
    }
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def with_campaigns(root: Path, groups, items, campaigns, rules=NO_REQUIRED):
    ws = build(root, groups, items, rules)
    (root / "campaigns.yaml").write_text(
        yaml.safe_dump({"campaigns": campaigns}, allow_unicode=True, sort_keys=False), "utf-8"
    )
    ws, problems = check_workspace(root)
    assert not problems.errors, "\n".join(map(str, problems.errors))
    return ws


def solve(ws) -> Plan:
    plan = plan_week(ws, WEEK, workers=1)
    assert verify(ws, plan) == []
    assert objective_of(ws, plan) == sum(p.objective for p in plan.problems)
    return plan


def of(plan: Plan, item: str) -> list:
    return [p for p in plan.posts if p.item == item]


def test_launch(tmp_path: Path) -> None:
    items = FILLER + items_of(
        ("teaser", "news", {}),
        ("launch", "news", {}),
        ("remind", "reminder", {}),
        ("last", "reminder", {}),
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
            {"item": "launch", "role": "launch"},
            {"item": "remind", "role": "reminder"},
            {"item": "last", "role": "last_call"},
        ],
    }
    ws = with_campaigns(tmp_path, [group("g", stage="conversion")], items, [campaign])
    plan = solve(ws)
    [teaser] = of(plan, "teaser")
    assert at("2026-11-23 00:00") <= teaser.start < at("2026-11-26 00:00")
    [launch] = of(plan, "launch")
    assert launch.start == at("2026-11-26 20:00") and launch.campaign == "tea-launch"
    [remind] = of(plan, "remind")
    assert at("2026-11-26 20:30") <= remind.start < at("2026-11-27 22:00")
    [last] = of(plan, "last")
    assert at("2026-11-27 22:00") <= last.start < at("2026-11-28 22:00")
    assert {"campaign_need", "campaign_window"} <= rules_broken(
        ws, moved(plan, launch, at("2026-11-26 21:00"))
    )
    late = add(plan, post(ws, "g", "remind", at("2026-11-29 10:00")))
    assert "campaign_ban" in rules_broken(ws, late)
    assert rules_broken(ws, without(plan, teaser)) == {"campaign_need"}


def test_live(tmp_path: Path) -> None:
    items = FILLER + items_of(
        ("show", "live", {}),
        ("r1", "reminder", {}),
        ("r2", "reminder", {}),
        ("replay", "article", {}),
    )
    campaign = {
        "id": "tasting",
        "kind": "live",
        "name": "品鉴直播",
        "targets": {"groups": ["g"]},
        "start": "2026-11-25 20:00",
        "duration_minutes": 60,
        "items": [
            {"item": "show", "role": "live"},
            {"item": "r1", "role": "reminder"},
            {"item": "r2", "role": "reminder"},
            {"item": "replay", "role": "replay"},
        ],
    }
    ws = with_campaigns(tmp_path, [group("g", caps={"min_gap_minutes": 30})], items, [campaign])
    plan = solve(ws)
    [show] = of(plan, "show")
    assert show.start == at("2026-11-25 20:00") and show.end == at("2026-11-25 21:00")
    during = [p for p in plan.posts if at("2026-11-25 20:00") <= p.start < at("2026-11-25 21:00")]
    assert during == [show]
    reminders = sorted(p.start for p in of(plan, "r1") + of(plan, "r2"))
    assert at("2026-11-24 16:00") <= reminders[0] <= at("2026-11-25 00:00")
    assert at("2026-11-25 18:00") <= reminders[1] <= at("2026-11-25 19:30")
    [replay] = of(plan, "replay")
    assert at("2026-11-25 21:00") <= replay.start < at("2026-11-26 21:00")
    intruder = add(plan, post(ws, "g", "a0", at("2026-11-25 20:30")))
    assert "campaign_ban" in rules_broken(ws, intruder)


def test_seven_day_retention(tmp_path: Path) -> None:
    deals = [(f"d{n}", "deal", {"value": 5, "title": f"特价{n}"}) for n in range(9)]
    body = "今天 {{ item.title }}{% if next_item %}，明天试吃：{{ next_item.title }}{% endif %}"
    items = FILLER + [{**spec, "body": body} for spec in items_of(*deals)]
    campaign = {
        "id": "fresh-7",
        "kind": "seven_day_retention",
        "name": "七日留存",
        "targets": {"types": ["group_buy"]},
        "acquired_on": "2026-11-22",
        "items": [{"item": f"d{n}", "role": "deal", "order": n} for n in range(9)],
    }
    ws = with_campaigns(
        tmp_path, [group("g", stage="activation", gtype="group_buy")], items, [campaign]
    )
    plan = solve(ws)
    by_day = {}
    for p in plan.posts:
        if p.kind == "deal":
            by_day.setdefault(p.start.date(), []).append(p)
    assert sorted(by_day) == [WEEK + timedelta(days=n) for n in range(7)]
    assert all(1 <= len(v) <= 2 for v in by_day.values())
    monday = sorted(by_day[WEEK], key=lambda p: p.start)[0]
    tomorrow = sorted(by_day[WEEK + timedelta(days=1)], key=lambda p: p.start)[0]
    assert f"明天试吃：{ws.items[tomorrow.item].title}" in monday.text
    broken = plan.model_copy(
        update={
            "posts": [
                p
                for p in plan.posts
                if not (p.kind == "deal" and p.start.date() == WEEK + timedelta(days=2))
            ]
        }
    )
    assert rules_broken(ws, broken) == {"campaign_need"}


def test_training_camp(tmp_path: Path) -> None:
    items = FILLER + items_of(
        ("lesson", "article", {"repeat": "daily"}),
        ("offer", "deal", {"value": 10}),
        ("call", "reminder", {}),
    )
    campaign = {
        "id": "camp",
        "kind": "training_camp",
        "name": "训练营",
        "targets": {"groups": ["g"]},
        "start": "2026-11-09",
        "end": "2026-11-29",
        "conversion_days": 2,
        "items": [
            {"item": "lesson", "role": "value"},
            {"item": "offer", "role": "conversion"},
            {"item": "call", "role": "follow_up"},
        ],
    }
    ws = with_campaigns(
        tmp_path, [group("g", stage="conversion", gtype="training_camp")], items, [campaign]
    )
    plan = solve(ws)
    assert {p.start.date() for p in of(plan, "lesson")} == {
        WEEK + timedelta(days=n) for n in range(7)
    }
    [offer] = of(plan, "offer")
    assert offer.start.date() >= WEEK + timedelta(days=5)
    assert not of(plan, "call")  # follow-ups are tasks for the operator, not posts
    tasks = playbook(ws, WEEK).tasks
    assert [(t.item, t.day.day) for t in tasks] == [("call", 28), ("call", 29)]
    early = moved(plan, offer, at("2026-11-25 20:00"))
    assert {"campaign_window", "campaign_ban", "campaign_need"} <= rules_broken(ws, early)


def test_short_event(tmp_path: Path) -> None:
    items = FILLER + items_of(
        ("event", "news", {"repeat": "daily"}),
        ("thanks", "news", {}),
        ("bye", "dissolve_notice", {}),
    )
    campaign = {
        "id": "market",
        "kind": "short_event",
        "name": "市集",
        "targets": {"groups": ["g"]},
        "start": "2026-11-20",
        "end": "2026-11-25",
        "dissolve_after_days": 3,
        "items": [
            {"item": "event", "role": "event"},
            {"item": "thanks", "role": "thanks"},
            {"item": "bye", "role": "dissolve"},
        ],
    }
    g = group("g", stage="activation", gtype="short_event", event_end="2026-11-25")
    ws = with_campaigns(tmp_path, [g], items, [campaign])
    plan = solve(ws)
    assert {p.start.day for p in of(plan, "event")} == {23, 24, 25}
    [thanks] = of(plan, "thanks")
    assert thanks.start.day in (26, 27)
    [bye] = of(plan, "bye")
    assert bye.start.day == 28
    assert max(p.start for p in plan.posts) == bye.start  # the notice is the last post
    assert stage_on(ws.group("g"), WEEK + timedelta(days=6), playbook(ws, WEEK)) is None
    assert "campaign_ban" in rules_broken(
        ws, add(plan, post(ws, "g", "a1", at("2026-11-29 10:00")))
    )
    after = add(plan, post(ws, "g", "a2", bye.start + timedelta(minutes=60)))
    assert "campaign_order" in rules_broken(ws, after)


def test_reactivation_and_stage_advance(tmp_path: Path) -> None:
    items = FILLER + items_of(
        ("rename", "intro", {}),
        ("theme", "intro", {"value": 10}),
        ("seed", "poll", {}),
        ("ck", "checkin", {"repeat": "daily", "window": "07:00-09:00"}),
    )
    campaign = {
        "id": "wake",
        "kind": "reactivation",
        "name": "唤醒",
        "targets": {"groups": ["g"]},
        "start": "2026-11-23",
        "activation_after_days": 5,
        "items": [
            {"item": "rename", "role": "rename"},
            {"item": "theme", "role": "theme"},
            {"item": "seed", "role": "seed", "day": 1},
            {"item": "ck", "role": "checkin", "at": "07:30"},
        ],
    }
    g = group("g", gtype="fan", stages=[{"from": "2026-06-01", "stage": "retention"}])
    ws = with_campaigns(tmp_path, [g], items, [campaign])
    book = playbook(ws, WEEK)
    assert stage_on(ws.group("g"), WEEK, book) == "reactivation"
    assert stage_on(ws.group("g"), WEEK + timedelta(days=5), book) == "activation"
    plan = solve(ws)
    [rename], [theme] = of(plan, "rename"), of(plan, "theme")
    assert rename.start.date() == theme.start.date() == WEEK and rename.start < theme.start
    assert {p.start.day for p in of(plan, "ck")} >= {24, 25, 26, 27}
    assert {p.start.strftime("%H:%M") for p in of(plan, "ck")} == {"07:30"}  # binding `at`
    assert [p.start.day for p in of(plan, "seed")] == [24]  # binding `day`: start + 1
    swapped = moved(moved(plan, rename, theme.start + timedelta(hours=2)), theme, rename.start)
    assert "campaign_order" in rules_broken(ws, swapped)


def test_impossible_campaigns_are_explained(tmp_path: Path, runner) -> None:
    items = FILLER + items_of(("show", "live", {}), ("teaser", "news", {}), ("launch", "news", {}))
    campaigns = [
        {
            "id": "midnight-live",
            "kind": "live",
            "name": "深夜直播",
            "targets": {"groups": ["g"]},
            "start": "2026-11-25 23:30",
            "items": [{"item": "show", "role": "live"}],
        },
        {
            "id": "late-launch",
            "kind": "launch",
            "name": "周一上新",
            "targets": {"groups": ["g"]},
            "launch_at": "2026-11-23 10:00",
            "deadline": "2026-11-24 22:00",
            "items": [{"item": "teaser", "role": "teaser"}, {"item": "launch", "role": "launch"}],
        },
    ]
    root = tmp_path / "ws"
    build(root, [group("g", stage="conversion")], items, NO_REQUIRED)
    text = yaml.safe_dump({"campaigns": campaigns}, allow_unicode=True, sort_keys=False)
    (root / "campaigns.yaml").write_text(text, "utf-8")
    result = runner.invoke(main, ["plan", str(root), "--week", "2026-11-23"])
    assert result.exit_code == 2, result.output  # its only group is left out: nothing to plan
    assert (
        "live campaign midnight-live 2026-11-25 23:30 in group 'g' is inside the group's quiet"
        in result.stderr
    )
    ws, _ = check_workspace(root)  # the explanation names both
    with pytest.raises(InfeasibleWeek) as infeasible:
        plan_week(ws, WEEK, workers=1)
    reasons = "\n".join(infeasible.value.reasons)
    assert "campaign midnight-live needs the live at 2026-11-25 23:30" in reasons
    assert "23:30 is in quiet hours 22:30-07:00" in reasons
    assert "campaign late-launch needs a teaser 1-3 days before the launch" in reasons
    assert "its window lies before this week" in reasons


def test_festival_campaign_and_onboarding_advance(tmp_path: Path) -> None:
    items = FILLER + items_of(
        ("teaser", "news", {}),
        ("launch", "news", {}),
        ("last", "reminder", {}),
        ("d0", "deal", {}),
        ("d1", "deal", {}),
        ("d2", "deal", {}),
    )
    campaigns = [
        {
            "id": "d12",
            "kind": "launch",
            "name": "双12",
            "festival": "双12",
            "targets": {"groups": ["g"]},
            "launch_at": "2026-12-02 20:00",
            "deadline": "2026-12-04 22:00",
            "items": [
                {"item": "teaser", "role": "teaser"},
                {"item": "launch", "role": "launch"},
                {"item": "last", "role": "last_call"},
            ],
        },
        {
            "id": "buy",
            "kind": "seven_day_retention",
            "name": "七日",
            "targets": {"groups": ["b"]},
            "acquired_on": "2026-11-29",
            "activation_after_days": 3,
            "deals_per_day": [0, 1],
            "items": [{"item": f"d{n}", "role": "deal"} for n in range(3)],
        },
    ]
    groups = [group("g", stage="conversion"), group("b", gtype="group_buy", stage="retention")]
    ws = with_campaigns(tmp_path, groups, items, campaigns)
    monday = date(2026, 11, 30)
    book = playbook(ws, monday)
    assert stage_on(ws.group("b"), monday, book) == "onboarding"
    assert stage_on(ws.group("b"), date(2026, 12, 2), book) == "activation"
    plan = plan_week(ws, monday, workers=1)
    assert verify(ws, plan) == []
    [teaser] = [p for p in of(plan, "teaser") if p.group == "g"]
    assert teaser.start.date() == date(2026, 12, 1)  # 双12 runs from 12-01: not on 11-30


def test_the_week_playbook_split_by_operator_equals_each_operators_restriction() -> None:
    """Workers get their operator's part of the playbook, cut in one pass, not the whole."""
    from planner.campaigns.playbook import restrict, split
    from planner.workspace.resources import demo_workspace

    ws, _ = check_workspace(demo_workspace())
    book = playbook(ws, date(2026, 11, 23))
    parts = split(book, {g.id: g.operator for g in ws.groups})
    assert list(parts) == list(ws.operators())
    for operator, ids in ws.operators().items():
        assert parts[operator] == restrict(book, [ws.group(g) for g in ids])
    assert sum(bool(p.needs) for p in parts.values()) >= 2  # the demo's campaigns, split
