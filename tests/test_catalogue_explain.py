"""The explainer names each rule that can be in a conflict with the true file:line of its
setting (issue 16): the caps, the operator's capacity, the demands and the rules that hold
posts together (every rule with a constraint). test_catalogue_filters.py has the candidate
filters.

Each test writes a tiny workspace in which one rule is the cause, runs `planner plan`, and
finds the line it expects by searching the file it wrote (tests/conflicts.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conflicts import (
    CHECKINS,
    MONDAY,
    WEDNESDAY,
    activation_only_on,
    builtin,
    cited,
    conflict,
    explained,
    requiring,
    sentences,
    source_of,
)
from tiny import RENAME_THEME, build, campaign, group, items_of, with_files

from planner.cli import main

# -- caps: the group's own, a workspace override, the built-in pack ----------------------

ARTICLES = items_of(*[(f"a{n}", "article", {"repeat": "daily"}) for n in range(5)])
ARTICLE = {"kind": "article", "count": 1}


# where the cap comes from: (group fields, rule packs, the cap, the file and keys setting it)
PER_DAY = {
    "groups.yaml": ({"caps": {"per_day": 1}}, {}, 1, ("groups.yaml", "caps:", "per_day:")),
    "rules/caps.yaml": (
        {},
        {"caps": {"group_types": {"long_term": {"per_day": 2}}}},
        2,
        ("rules/caps.yaml", "long_term:", "per_day:"),
    ),
    "built-in": (
        {"gtype": "fan"},
        {},
        3,
        ("built-in caps.yaml", "group_types:", "fan:", "per_day:"),
    ),
}


@conflict("per_day_cap")
@pytest.mark.parametrize("source", sorted(PER_DAY))
def test_per_day_cap(tmp_path: Path, runner, source: str) -> None:
    ws = tmp_path / "ws"
    fields, packs, cap, where = PER_DAY[source]
    rules = {**packs, **requiring("retention", {"kind": "article", "count": cap + 1})}
    build(ws, [group("g", **fields)], ARTICLES, rules)
    explained(runner, ws, MONDAY, f"caps.per_day is {cap} ({source_of(ws, *where)})")


@conflict("per_hour_cap")
def test_per_hour_cap(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    caps = {"per_hour": 1, "min_gap_minutes": 0}
    quizzes = items_of(*[(f"q{n}", "quiz", {"repeat": "daily"}) for n in range(3)])
    rules = requiring("retention", {"kind": "quiz", "count": 2, "window": "19:00-20:00"})
    build(ws, [group("g", caps=caps)], quizzes, rules)
    where = cited(ws / "groups.yaml", "caps:", "per_hour:")
    explained(runner, ws, MONDAY, f"caps.per_hour is 1 ({where})")


@conflict("min_gap")
def test_min_gap(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    rules = requiring("retention", {"kind": "checkin", "count": 2, "window": "07:00-08:30"})
    build(ws, [group("g", caps={"min_gap_minutes": 90})], CHECKINS, rules)
    where = cited(ws / "groups.yaml", "caps:", "min_gap_minutes:")
    explained(runner, ws, MONDAY, f"caps.min_gap_minutes is 90 ({where})")


@conflict("kind_per_day")
def test_kind_per_day(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    caps = {"kinds": {"checkin": {"per_day": 1}}}
    rules = requiring("retention", {"kind": "checkin", "count": 2})
    build(ws, [group("g", caps=caps)], CHECKINS, rules)
    where = cited(ws / "groups.yaml", "caps:", "checkin:", "per_day:")
    explained(runner, ws, MONDAY, f"caps.kinds.checkin.per_day is 1 ({where})")


@conflict("kind_per_week")
def test_kind_per_week_from_the_builtin_pack(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    lotteries = items_of(*[(f"l{n}", "lottery", {"repeat": "daily"}) for n in range(3)])
    build(ws, [group("g")], lotteries, requiring("retention", {"kind": "lottery", "count": 1}))
    where = builtin("caps.yaml", "defaults:", "lottery:", "per_week:")
    explained(runner, ws, "group g", f"caps.kinds.lottery.per_week is 2 ({where})")


@conflict("promo_share")
def test_promo_share(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    deals = items_of(("d1", "deal", {"repeat": "daily"}))
    rules = requiring("conversion", {"kind": "deal", "count": 1})
    build(ws, [group("g", stage="conversion", caps={"promo_share_max": 0.0})], deals, rules)
    where = cited(ws / "groups.yaml", "caps:", "promo_share_max:")
    explained(runner, ws, MONDAY, f"caps.promo_share_max is 0.0 ({where})")


# -- the operator's capacity: planner.yaml, a workspace override, the built-in pack ------

ONE_SLOT = requiring("retention", {"kind": "checkin", "count": 1, "window": "07:00-07:30"})
BOTH = {"max_posts": 1, "window_minutes": 30}
# where the capacity comes from: (planner.yaml, rule packs, the capacity, where each is set)
OPERATOR = {
    "planner.yaml": (
        {"operators": {"op": BOTH}},
        ONE_SLOT,
        "in any 30 minutes",
        [
            ("planner.yaml", "operators:", "max_posts:"),
            ("planner.yaml", "operators:", "window_minutes:"),
        ],
    ),
    "rules/caps.yaml": (
        {},
        {**ONE_SLOT, "caps": {"operator": BOTH}},
        "in any 30 minutes",
        [
            ("rules/caps.yaml", "operator:", "max_posts:"),
            ("rules/caps.yaml", "operator:", "window_minutes:"),
        ],
    ),
    "planner.yaml and built-in": (
        {"operators": {"op": {"max_posts": 1}}},
        ONE_SLOT,
        "in any 15 minutes",
        [
            ("planner.yaml", "operators:", "max_posts:"),
            ("built-in caps.yaml", "operator:", "window_minutes:"),
        ],
    ),
}


@conflict("operator_capacity")
@pytest.mark.parametrize("source", sorted(OPERATOR))
def test_operator_capacity(tmp_path: Path, runner, source: str) -> None:
    ws = tmp_path / "ws"
    settings, rules, capacity, where = OPERATOR[source]
    build(ws, [group("g1"), group("g2")], CHECKINS, rules, settings)
    sentence = explained(runner, ws, "operator op", "at most 1 post", capacity)
    places = sorted(source_of(ws, *place) for place in where)
    assert sentence.endswith(f"across their groups ({', '.join(places)})"), sentence


# -- demands and the rules that hold posts together --------------------------------------


@conflict("required_post")
def test_required_post_from_the_builtin_pack(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    build(ws, [group("g")], ARTICLES)  # retention's built-in check-in, and no check-in item
    where = builtin("stages.yaml", "retention:", "required:", "- ")
    explained(
        runner,
        ws,
        MONDAY,
        f"stage retention requires 1 post (checkin 07:00-09:30) ({where})",
        "the library has no checkin item (add one)",
    )


@conflict("required_post")
def test_required_post_from_a_workspace_override(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    rules = requiring("retention", {"kind": "article", "count": 1}, {"kind": "poll", "count": 1})
    build(ws, [group("g")], ARTICLES, rules)
    where = cited(ws / "rules" / "stages.yaml", "retention:", "required:", "- ", "- ")
    explained(runner, ws, MONDAY, f"stage retention requires 1 post (poll) ({where})")


@conflict("item_reuse")
@pytest.mark.parametrize(
    "fields, key, words",
    [
        ({"repeat": "once"}, "repeat", "o goes out once"),
        ({"repeat": "daily", "cooldown_days": 2}, "cooldown_days", "o rests cooldown_days 2"),
    ],
    ids=["once", "cooldown"],
)
def test_item_reuse(tmp_path: Path, runner, fields: dict, key: str, words: str) -> None:
    """One article for an article a day: it may not go out every day."""
    ws = tmp_path / "ws"
    build(ws, [group("g")], items_of(("o", "article", fields)), requiring("retention", ARTICLE))
    where = cited(ws / "content_library" / "article" / "o.md", f"{key}:")
    found = sentences(runner, ws)
    assert any(words in s and f"({where})" in s for s in found), "\n".join(found)


@conflict("item_reuse")
@pytest.mark.parametrize(
    "fields, setting, where",
    [
        (
            {"repeat": "once"},
            "once_items_reuse_weeks",
            ("built-in caps.yaml", "once_items_reuse_weeks:"),
        ),
        (
            {"repeat": "daily", "cooldown_days": 3},
            "cooldown_days",
            ("content_library/article/o.md", "cooldown_days:"),
        ),
    ],
    ids=["once", "cooldown"],
)
def test_item_reuse_across_weeks(
    tmp_path: Path, runner, fields: dict, setting: str, where: tuple
) -> None:
    """Last week's post keeps the item out this Monday: the sentence cites the setting that
    makes it rest, at its line."""
    ws = tmp_path / "ws"
    stages = {"retention": {"required": []}, "activation": {"required": [ARTICLE]}}
    items = items_of(("o", "article", {**fields, "value": 10}))
    monday = activation_only_on("2026-11-23", "2026-11-24")
    build(ws, [group("g", stages=monday)], items, {"stages": {"stages": stages}})
    assert runner.invoke(main, ["plan", str(ws), "--week", "2026-11-16"]).exit_code == 0
    explained(runner, ws, MONDAY, setting, f"({source_of(ws, *where)})")


@conflict("campaign_need")
def test_campaign_need(tmp_path: Path, runner) -> None:
    """A live pinned at 20:00 whose item only goes out in the morning."""
    ws = tmp_path / "ws"
    evening = campaign("evening", "live", {"show": "live"}, start="2026-11-25 20:00")
    items = items_of(
        ("show", "live", {"window": "09:00-10:00"}), ("a", "article", {"repeat": "daily"})
    )
    with_files(ws, [group("g")], items, requiring("retention"), campaigns=[evening])
    entry = cited(ws / "campaigns.yaml", "id: evening")
    window = cited(ws / "content_library" / "live" / "show.md", "window:")
    explained(
        runner,
        ws,
        WEDNESDAY,
        f"campaign evening needs the live at 2026-11-25 20:00 for 60 minutes (show) ({entry})",
        f"show only goes out 09:00-10:00 ({window})",
    )


@conflict("campaign_need")
def test_campaign_need_of_a_lock(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    pin = {"group": "g", "item": "a", "at": "2026-11-25 20:00"}
    items = items_of(("a", "article", {"repeat": "daily", "window": "09:00-10:00"}))
    with_files(ws, [group("g")], items, requiring("retention"), locks=[pin])
    where = cited(ws / "locks.yaml", "group: g")
    explained(runner, ws, WEDNESDAY, f"your lock pins a at 2026-11-25 20:00 ({where})")


@conflict("campaign_order")
def test_campaign_order(tmp_path: Path, runner) -> None:
    """The rename notice may only go out at 10:00 and the theme post at 09:00, but the
    campaign puts the rename first."""
    ws = tmp_path / "ws"
    wake = campaign("wake", "reactivation", RENAME_THEME, start="2026-11-23")
    items = items_of(
        ("rename", "intro", {"window": "10:00-11:00"}),
        ("theme", "intro", {"window": "09:00-10:00"}),
        ("a", "article", {"repeat": "daily"}),
    )
    rules = {"stages": {"stages": {s: {"required": []} for s in ("reactivation", "activation")}}}
    with_files(ws, [group("g", gtype="fan")], items, rules, campaigns=[wake])
    where = cited(ws / "campaigns.yaml", "id: wake")
    explained(
        runner,
        ws,
        MONDAY,
        f"campaign wake: the rename notice comes before the theme post ({where})",
    )


@conflict("live_overlap")
def test_live_overlap(tmp_path: Path, runner) -> None:
    """On Wednesday a quiz must start between 20:00 and 21:00, while the live runs."""
    ws = tmp_path / "ws"
    wednesday_only = activation_only_on("2026-11-25", "2026-11-26")
    live = {"kind": "live", "count": 1, "window": "20:00-20:30"}
    quiz = {"kind": "quiz", "count": 1, "window": "20:00-21:00"}
    stages = {"retention": {"required": []}, "activation": {"required": [live, quiz]}}
    items = items_of(
        ("show", "live", {"start": "2026-11-25 20:00"}),
        *[(f"q{n}", "quiz", {"repeat": "daily"}) for n in range(2)],
    )
    caps = {"min_gap_minutes": 0}
    build(ws, [group("g", stages=wednesday_only, caps=caps)], items, {"stages": {"stages": stages}})
    where = cited(ws / "content_library" / "live" / "show.md", "duration_minutes:")
    explained(runner, ws, WEDNESDAY, f"live show runs 60 minutes with no other post ({where})")


@conflict("one_post_per_slot")
def test_one_post_per_slot(tmp_path: Path, runner) -> None:
    """Two check-ins asked for in one 30-minute slot, with nothing else in the way."""
    ws = tmp_path / "ws"
    rules = requiring("retention", {"kind": "checkin", "count": 2, "window": "07:00-07:30"})
    build(ws, [group("g", caps={"min_gap_minutes": 0})], CHECKINS, rules)
    where = cited(ws / "planner.yaml", "slot_minutes:")
    explained(runner, ws, MONDAY, f"one post per 30-minute slot ({where})")
