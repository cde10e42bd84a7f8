"""Issue 17: `deals_per_day: 1` was rejected though the docs say "(1-2)"."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_campaigns import FILLER, solve, with_campaigns
from tiny import build, group, items_of

from planner.workspace.check import check_workspace

DEALS = FILLER + items_of(*[(f"d{n}", "deal", {"value": 5}) for n in range(14)])


def _campaign(deals_per_day) -> dict:
    return {
        "id": "fresh-7",
        "kind": "seven_day_retention",
        "name": "七日留存",
        "targets": {"types": ["group_buy"]},
        "acquired_on": "2026-11-22",
        "deals_per_day": deals_per_day,
        "items": [{"item": f"d{n}", "role": "deal", "order": n} for n in range(14)],
    }


@pytest.mark.parametrize("count", [1, 2])
def test_a_single_number_means_exactly_that_many_deals_a_day(tmp_path: Path, count: int) -> None:
    ws = with_campaigns(
        tmp_path, [group("g", stage="activation", gtype="group_buy")], DEALS, [_campaign(count)]
    )
    assert ws.campaigns[0].deals_per_day == (count, count)
    per_day: dict = {}
    for post in solve(ws).posts:
        if post.kind == "deal":
            per_day[post.start.date()] = per_day.get(post.start.date(), 0) + 1
    assert len(per_day) == 7
    assert set(per_day.values()) == {count}


def test_a_range_the_wrong_way_round_is_a_finding(tmp_path: Path) -> None:
    build(tmp_path, [group("g", stage="activation", gtype="group_buy")], DEALS)
    text = yaml.safe_dump({"campaigns": [_campaign([2, 1])]}, allow_unicode=True)
    (tmp_path / "campaigns.yaml").write_text(text, "utf-8")
    _, findings = check_workspace(tmp_path)
    [finding] = findings.errors
    assert finding.path.endswith("campaigns.yaml")
    assert finding.message == "deals_per_day [2, 1] is not a range"
