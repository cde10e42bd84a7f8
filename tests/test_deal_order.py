"""A seven-day retention's deals go out in their binding `order`, each on its day (issue 17:
the order-1 deal was not on day 1, and the report named the caps for a deal left out)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from conflicts import MONDAY, cited, explained
from test_campaigns import FILLER, solve, with_campaigns
from test_scheduler_rules import moved
from tiny import WEEK, group, items_of, with_files

from planner.models.campaigns import SevenDayRetentionCampaign
from planner.rules.deal_days import deal_days
from planner.run.week import plan_week
from planner.verify.checker import verify
from planner.workspace.check import check_workspace

ACQUIRED = date(2026, 11, 22)  # the Sunday before WEEK: day 1 is Monday
# item ids against their order, so an order by id would put them the wrong way round
ORDERS = {f"d{n}": 8 - n for n in range(1, 8)}  # d7 is deal 1 (Monday), d1 deal 7 (Sunday)
DEALS = items_of(*[(item, "deal", {"value": 5}) for item in ORDERS])


def _campaign(deals_per_day=1, orders=ORDERS) -> dict:
    return {
        "id": "fresh-7",
        "kind": "seven_day_retention",
        "name": "七日留存",
        "targets": {"groups": ["g"]},
        "acquired_on": str(ACQUIRED),
        "deals_per_day": deals_per_day,
        "items": [{"item": item, "role": "deal", "order": n} for item, n in orders.items()],
    }


def _group() -> dict:
    return group("g", stage="activation", gtype="group_buy")


def _deal_days(plan) -> dict[str, list[date]]:
    days: dict[str, list[date]] = {}
    for post in sorted(plan.posts, key=lambda p: p.start):
        if post.kind == "deal":
            days.setdefault(post.item, []).append(post.start.date())
    return days


def test_deal_order_satisfied(tmp_path: Path) -> None:
    ws = with_campaigns(tmp_path, [_group()], FILLER + DEALS, [_campaign()])
    days = _deal_days(solve(ws))
    assert days == {item: [ACQUIRED + timedelta(days=n)] for item, n in ORDERS.items()}


def test_deal_order_violated(tmp_path: Path) -> None:
    """Deal 3 a day late breaks the order (and leaves its own day without its deal)."""
    ws = with_campaigns(tmp_path, [_group()], FILLER + DEALS, [_campaign()])
    plan = solve(ws)
    [third] = [p for p in plan.posts if p.item == "d5"]
    late = moved(plan, third, third.start + timedelta(days=1, minutes=30))
    violations = [v for v in verify(ws, late) if v.rule == "deal_order"]
    assert [v.message for v in violations] == [
        "d5 is deal 3 in campaign fresh-7's order (1 a day): it goes out on 2026-11-25 "
        "(day 3 after acquired_on)"
    ]
    assert {v.rule for v in verify(ws, late)} == {"deal_order", "campaign_window", "campaign_need"}


def test_deal_order_explained(tmp_path: Path, runner) -> None:
    """A lock pins deal 3 on Monday: the order keeps it for Wednesday, at its line."""
    ws = tmp_path / "ws"
    pin = {"group": "g", "item": "d5", "at": "2026-11-23 12:00"}
    campaigns = [_campaign()]
    with_files(ws, [_group()], FILLER + DEALS, campaigns=campaigns, locks=[pin])
    where = cited(ws / "campaigns.yaml", "item: d5", "order:")
    explained(
        runner,
        ws,
        MONDAY,
        "d5 is deal 3 in campaign fresh-7's order (1 a day): it goes out on 2026-11-25 "
        f"(day 3 after acquired_on) ({where})",
    )


def test_a_range_gives_each_day_the_most_while_later_days_keep_their_fewest() -> None:
    orders = {f"d{n}": n for n in range(1, 10)}
    campaign = SevenDayRetentionCampaign.model_validate(_campaign([1, 2], orders))
    per_day = [day for _, day in deal_days(campaign).values()]
    assert [(day - ACQUIRED).days for day in per_day] == [1, 1, 2, 2, 3, 4, 5, 6, 7]
    fixed = SevenDayRetentionCampaign.model_validate(_campaign(2, orders))
    per_day = [day for _, day in deal_days(fixed).values()]
    assert [day and (day - ACQUIRED).days for day in per_day] == [1, 1, 2, 2, 3, 3, 4, 4, 5]
    unordered = {**orders, "d0": 0}  # no order: any day of the retention, outside the sequence
    assert "d0" not in deal_days(SevenDayRetentionCampaign.model_validate(_campaign(1, unordered)))


def test_a_deal_the_days_cannot_hold_has_none() -> None:
    orders = {f"d{n}": n for n in range(1, 10)}
    campaign = SevenDayRetentionCampaign.model_validate(_campaign(1, orders))
    assert [day for _, day in deal_days(campaign).values()][7:] == [None, None]


def test_a_deal_left_out_is_reported_with_the_rule_of_its_own_day(tmp_path: Path) -> None:
    """With no fewest (deals_per_day [0, 1]) deal 3 may stay out: it is no longer valid on
    its Wednesday, and the report says so, not the order that kept it off Monday and
    Tuesday nor the caps."""
    deals = items_of(
        *[
            (item, "deal", {"value": 5, **({"valid_until": "2026-11-24"} if item == "d5" else {})})
            for item in ORDERS
        ]
    )
    ws = with_campaigns(tmp_path, [_group()], FILLER + deals, [_campaign([0, 1])])
    plan = plan_week(ws, WEEK, workers=1)
    assert verify(ws, plan) == []
    [row] = plan.unplaced
    where = cited(tmp_path / "content_library" / "deal" / "d5.md", "valid_until:")
    assert (row.item, row.reason) == ("d5", f"d5 is not valid on 2026-11-25 ({where})")


def test_when_the_order_runs_out_the_later_days_ask_for_no_deal(tmp_path: Path) -> None:
    """Three ordered deals, two a day: days 1-2 take them (two, then one), the days after
    ask for none (the week was left out, asking for deals no day could have)."""
    three = {"d1": 1, "d2": 2, "d3": 3}
    ws = with_campaigns(
        tmp_path, [_group()], FILLER + DEALS, [_campaign(deals_per_day=2, orders=three)]
    )
    plan = solve(ws)
    days = _deal_days(plan)
    day = [ACQUIRED + timedelta(days=n) for n in (1, 2)]
    assert {item: days.get(item) for item in three} == {
        "d1": [day[0]],
        "d2": [day[0]],
        "d3": [day[1]],
    }
    assert verify(ws, plan) == []


def test_ordered_deals_past_the_days_are_a_check_warning(tmp_path: Path) -> None:
    """Nine ordered deals, one a day for seven days: the last two never go out, and check
    says so at the first one's order line instead of dropping them unsaid."""
    nine = {f"e{n}": n for n in range(1, 10)}
    deals = items_of(*[(item, "deal", {"value": 5}) for item in nine])
    with_campaigns(tmp_path, [_group()], FILLER + deals, [_campaign(orders=nine)])
    _, findings = check_workspace(tmp_path)
    [warning] = [str(w) for w in findings.warnings if "never go out" in str(w)]
    assert "campaign 'fresh-7' orders 9 deals, but its 7 days hold 7" in warning
    assert "e8, e9 never go out" in warning
    assert warning.startswith(f"{tmp_path / 'campaigns.yaml'}:")
