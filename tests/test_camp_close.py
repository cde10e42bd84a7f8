"""A training camp closes on its last day whether or not its campaign binds the closing
posts (issue 17): the library's dissolve notice for camps, as that day's last post, after
any `thanks` the campaign binds; nothing after it. Before, a camp without a bound closing
post simply stopped: no thanks, no summary, no notice."""

from __future__ import annotations

from pathlib import Path

from test_campaigns import FILLER, at, of, solve, with_campaigns
from tiny import campaign, group, items_of

CAMP_END = "2026-11-25"  # a Wednesday


def _camp(tmp_path: Path, roles: dict[str, str], *extra: tuple[str, str, dict]):
    items = FILLER + items_of(
        ("lesson", "article", {"repeat": "daily"}),
        ("offer", "deal", {"value": 10}),
        ("bye-camp", "dissolve_notice", {"group_types": ["training_camp"]}),
        ("bye-event", "dissolve_notice", {"group_types": ["short_event"]}),
        *extra,
    )
    camp = campaign(
        "camp",
        "training_camp",
        {"lesson": "value", "offer": "conversion", **roles},
        start="2026-11-09",
        end=CAMP_END,
    )
    g = group("g", stage="conversion", gtype="training_camp")
    return with_campaigns(tmp_path, [g], items, [camp])


def test_a_camp_closes_on_its_last_day_with_the_librarys_notice(tmp_path: Path) -> None:
    plan = solve(_camp(tmp_path, {}))
    [notice] = of(plan, "bye-camp")
    assert not of(plan, "bye-event")  # a short event's notice does not suit a camp
    last_day = [p for p in plan.posts if p.start.date() == notice.start.date()]
    assert notice.start.date().isoformat() == CAMP_END
    assert max(p.start for p in last_day) == notice.start  # the day's last post
    assert max(p.start for p in plan.posts) == notice.start  # and nothing after it


def test_a_bound_thanks_goes_out_that_day_before_the_bound_notice(tmp_path: Path) -> None:
    extra = (("thanks", "news", {}), ("own-bye", "dissolve_notice", {}))
    plan = solve(_camp(tmp_path, {"thanks": "thanks", "own-bye": "dissolve"}, *extra))
    [thanks], [notice] = of(plan, "thanks"), of(plan, "own-bye")
    assert not of(plan, "bye-camp")  # the campaign's own notice replaces the library's
    assert at(f"{CAMP_END} 00:00") <= thanks.start < notice.start < at("2026-11-26 00:00")
