"""Items written for a campaign's moment go out only where a campaign binds them.

Before, a live's replay ("昨晚的直播回放") went out as ordinary news before the live and in
groups the live did not target (fitness scenario), and a one-to-one follow-up script
("想单独和你聊两句") was posted into a camp group that did not bind it.
"""

from __future__ import annotations

from pathlib import Path

from test_campaigns import FILLER, at, of, solve, with_campaigns
from test_scheduler_rules import add, post, rules_broken
from tiny import group, items_of


def _live_in_g1(tmp_path: Path, extra_items=()):
    items = FILLER + items_of(
        ("show", "live", {}),
        ("recap", "news", {"repeat": "daily", "value": 10}),
        *extra_items,
    )
    live = {
        "id": "tasting",
        "kind": "live",
        "name": "品鉴直播",
        "targets": {"groups": ["g1"]},
        "start": "2026-11-25 20:00",
        "items": [{"item": "show", "role": "live"}, {"item": "recap", "role": "replay"}],
    }
    groups = [group("g1"), group("g2")]
    return with_campaigns(tmp_path, groups, items, [live])


def test_a_replay_goes_out_only_after_its_live_in_its_groups(tmp_path: Path) -> None:
    ws = _live_in_g1(tmp_path)
    plan = solve(ws)
    recaps = of(plan, "recap")
    assert recaps and {p.group for p in recaps} == {"g1"}
    assert all(p.start >= at("2026-11-25 21:00") for p in recaps)
    assert rules_broken(ws, plan) == set()
    elsewhere = add(plan, post(ws, "g2", "recap", at("2026-11-24 10:00")))
    assert rules_broken(ws, elsewhere) == {"campaign_only"}


def test_an_item_marked_campaign_only_waits_for_a_binding(tmp_path: Path) -> None:
    script = ("one-to-one", "reminder", {"campaign_only": True, "repeat": "daily", "value": 10})
    ws = _live_in_g1(tmp_path, [script])
    plan = solve(ws)
    assert of(plan, "one-to-one") == []
    forced = add(plan, post(ws, "g2", "one-to-one", at("2026-11-24 10:00")))
    assert "campaign_only" in rules_broken(ws, forced)
