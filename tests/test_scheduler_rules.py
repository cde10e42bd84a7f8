"""Each rule on a tiny instance: the plan satisfies it, and a plan that breaks it is caught.

The violated plan is the solver's own plan with one post added, moved or
removed; the verifier must report exactly the rule that change breaks.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from tiny import WEEK, build, group, items_of

from planner.plan import Plan, Post
from planner.run.week import plan_week
from planner.verify.checker import verify
from planner.verify.objective import objective_of
from planner.workspace.load import Workspace

NO_REQUIRED = {
    "stages": {
        "stages": {
            s: {"required": []}
            for s in ("launch", "onboarding", "activation", "retention", "reactivation")
        }
    }
}


def solve(ws: Workspace) -> Plan:
    plan = plan_week(ws, WEEK, time_limit=10, workers=1)
    assert verify(ws, plan) == []
    assert objective_of(ws, plan) == sum(p.objective for p in plan.problems)
    return plan


def rules_broken(ws: Workspace, plan: Plan) -> set[str]:
    return {v.rule for v in verify(ws, plan)}


def at(day: int, clock: str) -> datetime:
    hours, minutes = map(int, clock.split(":"))
    local = datetime.combine(WEEK + timedelta(days=day), time(hours, minutes))
    from zoneinfo import ZoneInfo

    return local.replace(tzinfo=ZoneInfo("Asia/Shanghai"))


def post(ws: Workspace, group_id: str, item_id: str, start: datetime) -> Post:
    item = ws.items[item_id]
    g = ws.group(group_id)
    return Post(
        group=group_id,
        item=item_id,
        kind=item.kind,
        title=item.title,
        stage=g.stage_on(start.date()),
        operator=g.operator,
        start=start,
        end=start + timedelta(minutes=30),
        timezone="Asia/Shanghai",
        text="文本",
        value=0,
    )


def add(plan: Plan, *posts: Post) -> Plan:
    return plan.model_copy(update={"posts": sorted([*plan.posts, *posts], key=lambda p: p.start)})


def without(plan: Plan, victim: Post) -> Plan:
    return plan.model_copy(update={"posts": [p for p in plan.posts if p is not victim]})


def moved(plan: Plan, victim: Post, start: datetime) -> Plan:
    changed = victim.model_copy(update={"start": start, "end": start + timedelta(minutes=30)})
    return add(without(plan, victim), changed)


def day_posts(plan: Plan, group_id: str, day: int) -> list[Post]:
    return [
        p
        for p in plan.posts
        if p.group == group_id and p.start.date() == WEEK + timedelta(days=day)
    ]


DAILY_ARTICLES = items_of(
    *[(f"a{n}", "article", {"repeat": "daily", "value": 5 + n}) for n in range(5)]
)


def test_per_day_cap(tmp_path: Path) -> None:
    ws = build(tmp_path, [group("g", caps={"per_day": 2})], DAILY_ARTICLES, NO_REQUIRED)
    plan = solve(ws)
    assert all(len(day_posts(plan, "g", d)) == 2 for d in range(7))
    used = {p.item for p in day_posts(plan, "g", 0)}
    spare = next(i for i in ws.items if i not in used)
    far = [
        t
        for t in ("10:00", "15:00", "21:00")
        if all(abs((at(0, t) - p.start).total_seconds()) >= 7200 for p in day_posts(plan, "g", 0))
    ]
    assert rules_broken(ws, add(plan, post(ws, "g", spare, at(0, far[0])))) == {"per_day_cap"}


def test_per_hour_cap(tmp_path: Path) -> None:
    caps = {"per_day": 3, "per_hour": 1, "min_gap_minutes": 0}
    ws = build(tmp_path, [group("g", caps=caps)], DAILY_ARTICLES, NO_REQUIRED)
    plan = solve(ws)
    first = day_posts(plan, "g", 1)[0]
    spare = next(i for i in ws.items if i not in {p.item for p in day_posts(plan, "g", 1)})
    extra = post(ws, "g", spare, first.start + timedelta(minutes=30))
    broken = add(without(plan, day_posts(plan, "g", 1)[-1]), extra)
    assert rules_broken(ws, broken) == {"per_hour_cap"}


def test_min_gap_across_midnight(tmp_path: Path) -> None:
    caps = {"per_day": 2, "per_hour": 2, "min_gap_minutes": 120, "quiet_hours": "23:30-00:30"}
    ws = build(tmp_path, [group("g", caps=caps)], DAILY_ARTICLES, NO_REQUIRED)
    plan = solve(ws)
    starts = sorted(p.start for p in plan.posts)
    assert all(b - a >= timedelta(minutes=120) for a, b in pairwise(starts))
    last_monday = day_posts(plan, "g", 0)[-1]
    first_tuesday = day_posts(plan, "g", 1)[0]
    broken = moved(moved(plan, last_monday, at(0, "23:00")), first_tuesday, at(1, "00:30"))
    assert rules_broken(ws, broken) == {"min_gap"}


def test_quiet_hours(tmp_path: Path) -> None:
    ws = build(tmp_path, [group("g")], DAILY_ARTICLES, NO_REQUIRED)
    plan = solve(ws)
    quiet = ws.rules.caps.defaults.quiet_hours
    assert not any(quiet.contains(p.start.hour * 60 + p.start.minute) for p in plan.posts)
    victim = day_posts(plan, "g", 6)[-1]
    assert rules_broken(ws, moved(plan, victim, at(6, "23:30"))) == {"quiet_hours"}


def test_kind_per_day_and_week(tmp_path: Path) -> None:
    items = DAILY_ARTICLES + items_of(
        ("rp1", "red_packet", {"repeat": "daily", "value": 10}),
        ("rp2", "red_packet", {"repeat": "daily", "value": 10}),
        ("lot1", "lottery", {"repeat": "daily", "value": 10}),
    )
    ws = build(tmp_path, [group("g", stage="retention")], items, NO_REQUIRED)
    plan = solve(ws)
    red = [p for p in plan.posts if p.kind == "red_packet"]
    lotteries = [p for p in plan.posts if p.kind == "lottery"]
    assert len(red) == 1 and len(lotteries) == 2  # per_week limits of the built-in caps
    day = red[0].start.date()
    other_day = next(
        d
        for d in range(7)
        if WEEK + timedelta(days=d) != day
        and not [p for p in day_posts(plan, "g", d) if p.kind == "lottery"]
    )
    a_post = next(p for p in day_posts(plan, "g", (day - WEEK).days) if p.kind == "article")
    other_red = "rp2" if red[0].item == "rp1" else "rp1"  # a second red packet, not a reuse
    same_day = plan.model_copy(
        update={
            "posts": [
                post(ws, "g", other_red, a_post.start) if p is a_post else p for p in plan.posts
            ]
        }
    )
    assert rules_broken(ws, same_day) == {"kind_per_day", "kind_per_week"}
    b_post = next(p for p in day_posts(plan, "g", other_day) if p.kind == "article")
    third = plan.model_copy(
        update={
            "posts": [post(ws, "g", "lot1", b_post.start) if p is b_post else p for p in plan.posts]
        }
    )
    assert rules_broken(ws, third) == {"kind_per_week"}


def test_promo_share(tmp_path: Path) -> None:
    items = DAILY_ARTICLES[:2] + items_of(
        *[(f"d{n}", "deal", {"repeat": "daily", "value": 10}) for n in range(3)]
    )
    ws = build(
        tmp_path,
        [group("g", stage="conversion", caps={"per_day": 2, "promo_share_max": 0.5})],
        items,
        NO_REQUIRED,
    )
    plan = solve(ws)
    for d in range(7):
        todays = day_posts(plan, "g", d)
        assert sum(p.kind == "deal" for p in todays) <= len(todays) / 2
    article = next(p for p in day_posts(plan, "g", 2) if p.kind == "article")
    spare = next(
        i for i in ("d0", "d1", "d2") if i not in {p.item for p in day_posts(plan, "g", 2)}
    )
    broken = plan.model_copy(
        update={
            "posts": [
                post(ws, "g", spare, article.start) if p is article else p for p in plan.posts
            ]
        }
    )
    assert rules_broken(ws, broken) == {"promo_share"}


def test_required_post(tmp_path: Path) -> None:
    items = DAILY_ARTICLES + items_of(("ck", "checkin", {"repeat": "daily", "value": 1}))
    ws = build(tmp_path, [group("g", stage="retention")], items)
    plan = solve(ws)
    window = ws.rules.stages.stages["retention"].required[0].window
    for d in range(7):
        assert any(
            p.kind == "checkin" and window.contains(p.start.hour * 60 + p.start.minute)
            for p in day_posts(plan, "g", d)
        )
    victim = next(p for p in day_posts(plan, "g", 3) if p.kind == "checkin")
    assert rules_broken(ws, without(plan, victim)) == {"required_post"}


def test_item_reuse_once_and_cooldown(tmp_path: Path) -> None:
    items = items_of(
        ("once", "article", {"value": 10}),
        ("cool", "article", {"repeat": "daily", "cooldown_days": 3, "value": 9}),
    )
    ws = build(tmp_path, [group("g", caps={"per_day": 3})], items, NO_REQUIRED)
    plan = solve(ws)
    assert sum(p.item == "once" for p in plan.posts) == 1
    cool_days = sorted(p.start.date() for p in plan.posts if p.item == "cool")
    assert all((b - a).days >= 3 for a, b in pairwise(cool_days))
    assert len(cool_days) == 3  # Mon, Thu, Sun
    free_day = next(d for d in range(7) if not day_posts(plan, "g", d))
    assert rules_broken(ws, add(plan, post(ws, "g", "once", at(free_day, "12:00")))) == {
        "item_reuse"
    }
    next_day = cool_days[0] + timedelta(days=1)
    clash = add(plan, post(ws, "g", "cool", at((next_day - WEEK).days, "20:00")))
    assert rules_broken(ws, clash) == {"item_reuse"}


def test_one_post_per_slot(tmp_path: Path) -> None:
    caps = {"per_day": 3, "per_hour": 3, "min_gap_minutes": 0}
    ws = build(tmp_path, [group("g", caps=caps)], DAILY_ARTICLES, NO_REQUIRED)
    plan = solve(ws)
    assert len({p.start for p in plan.posts}) == len(plan.posts)
    first = day_posts(plan, "g", 0)[0]
    spare = next(i for i in ws.items if i not in {p.item for p in day_posts(plan, "g", 0)})
    broken = add(without(plan, day_posts(plan, "g", 0)[-1]), post(ws, "g", spare, first.start))
    assert rules_broken(ws, broken) == {"one_post_per_slot"}


def test_operator_capacity(tmp_path: Path) -> None:
    groups = [group("g1"), group("g2")]
    settings = {"operators": {"op": {"max_posts": 1, "window_minutes": 60}}}
    ws = build(tmp_path, groups, DAILY_ARTICLES, NO_REQUIRED, settings)
    plan = solve(ws)
    starts = sorted(p.start for p in plan.posts)
    assert all(b - a >= timedelta(minutes=60) for a, b in pairwise(starts))
    one = day_posts(plan, "g1", 0)[0]
    other = day_posts(plan, "g2", 0)[0]
    # Move g2's post next to g1's, on a day g2 posts nothing else close by.
    clash = one.start + timedelta(minutes=30)
    assert "operator_capacity" in rules_broken(ws, moved(plan, other, clash))
    assert "operator_capacity" not in rules_broken(ws, plan)


def test_item_window_and_stage(tmp_path: Path) -> None:
    items = DAILY_ARTICLES[:1] + items_of(
        ("evening", "quiz", {"repeat": "daily", "window": "19:30-22:00", "value": 10}),
        ("hello", "intro", {"repeat": "daily", "value": 10}),
    )
    ws = build(tmp_path, [group("g", stage="retention", caps={"per_day": 3})], items, NO_REQUIRED)
    plan = solve(ws)
    quizzes = [p for p in plan.posts if p.item == "evening"]
    assert quizzes and all(
        19 * 60 + 30 <= p.start.hour * 60 + p.start.minute < 22 * 60 for p in quizzes
    )
    assert rules_broken(
        ws, moved(plan, quizzes[0], quizzes[0].start.replace(hour=12, minute=0))
    ) == {"item_window"}
    assert not any(p.item == "hello" for p in plan.posts)  # intro is not a retention kind
    article = next(p for p in day_posts(plan, "g", 4) if p.kind == "article")
    swapped = plan.model_copy(
        update={
            "posts": [
                post(ws, "g", "hello", article.start) if p is article else p for p in plan.posts
            ]
        }
    )
    assert rules_broken(ws, swapped) == {"stage"}


@pytest.mark.parametrize("limit", [1, 2])
def test_same_input_same_plan(tmp_path: Path, limit: int) -> None:
    ws = build(
        tmp_path,
        [group("g", caps={"per_day": limit}), group("h", gtype="fan")],
        DAILY_ARTICLES,
        NO_REQUIRED,
    )
    first = plan_week(ws, WEEK, workers=1).model_dump_json()
    again = plan_week(ws, WEEK, workers=2).model_dump_json()
    assert first == again


def test_validity_group_type_and_slot_grid(tmp_path: Path) -> None:
    items = DAILY_ARTICLES[:2] + items_of(
        ("until-wed", "article", {"repeat": "daily", "value": 10, "valid_until": "2026-11-25"}),
        ("buy-only", "article", {"repeat": "daily", "value": 10, "group_types": ["group_buy"]}),
    )
    ws = build(tmp_path, [group("g", caps={"per_day": 2})], items, NO_REQUIRED)
    plan = solve(ws)
    assert {p.start.date().day for p in plan.posts if p.item == "until-wed"} == {23, 24, 25}
    assert not any(p.item == "buy-only" for p in plan.posts)
    friday = day_posts(plan, "g", 4)[0]
    late = plan.model_copy(
        update={
            "posts": [
                post(ws, "g", "until-wed", friday.start) if p is friday else p for p in plan.posts
            ]
        }
    )
    assert rules_broken(ws, late) == {"validity"}
    wrong_type = plan.model_copy(
        update={
            "posts": [
                post(ws, "g", "buy-only", friday.start) if p is friday else p for p in plan.posts
            ]
        }
    )
    assert rules_broken(ws, wrong_type) == {"group_type"}
    off_grid = moved(plan, friday, friday.start + timedelta(minutes=7))
    assert rules_broken(ws, off_grid) == {"well_formed"}
