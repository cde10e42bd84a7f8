"""The explainer names each candidate filter that keeps every item out of a required post
(or a pin), with the true file:line of its setting (issue 16).

Each test writes a tiny workspace in which one filter is the cause, runs `planner plan`,
and finds the line it expects by searching the file it wrote (tests/conflicts.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conflicts import MONDAY, builtin, cited, conflict, explained, requiring, source_of
from tiny import DEADLINE, LAUNCH, build, campaign, group, items_of, with_files

A_CHECKIN = requiring("retention", {"kind": "checkin", "count": 1})
CHECKIN = items_of(("ck", "checkin", {"repeat": "daily"}))

# "<rule>[: how]" -> (group fields, items, the required post, why no item meets it: the
# words, then the file and keys that set it)
FILTERED = {
    "stage: the item's stages": (
        {},
        items_of(("ck", "checkin", {"repeat": "daily", "stages": ["activation"]})),
        A_CHECKIN,
        "ck is for stages activation",
        ("content_library/checkin/ck.md", "stages:"),
    ),
    "group_type: the item's group types": (
        {},
        items_of(("ck", "checkin", {"repeat": "daily", "group_types": ["group_buy"]})),
        A_CHECKIN,
        "ck is for group_buy groups",
        ("content_library/checkin/ck.md", "group_types:"),
    ),
    "group_type: the type's forbidden kinds": (
        {"gtype": "feedback"},
        items_of(("d", "deal", {"repeat": "daily"})),
        requiring("retention", {"kind": "deal", "count": 1}),
        "a feedback group gets no deal posts",
        ("built-in group_types.yaml", "feedback:", "forbidden_kinds:"),
    ),
    "validity": (
        {},
        items_of(("ck", "checkin", {"repeat": "daily", "valid_until": "2026-11-20"})),
        A_CHECKIN,
        "ck is not valid on 2026-11-23",
        ("content_library/checkin/ck.md", "valid_until:"),
    ),
    "campaign_only: a live without a start": (
        {},
        items_of(("show", "live", {"repeat": "daily"})),
        requiring("retention", {"kind": "live", "count": 1}),
        "show goes out only where a campaign binds it",
        ("content_library/live/show.md", "kind:"),  # a live, with no start of its own
    ),
    "campaign_only: a kind limited to 0": (
        {"caps": {"kinds": {"checkin": {"per_day": 0}}}},
        CHECKIN,
        A_CHECKIN,
        "caps.kinds.checkin.per_day is 0",
        ("groups.yaml", "caps:", "checkin:", "per_day:"),
    ),
    "item_window": (
        {},
        items_of(("ck", "checkin", {"repeat": "daily", "window": "12:00-13:00"})),
        requiring("retention", {"kind": "checkin", "count": 1, "window": "07:00-09:00"}),
        "ck only goes out 12:00-13:00",
        ("content_library/checkin/ck.md", "window:"),
    ),
    "quiet_hours": (
        {"caps": {"quiet_hours": "22:00-10:00"}},
        CHECKIN,
        requiring("retention", {"kind": "checkin", "count": 1, "window": "07:00-09:30"}),
        "caps.quiet_hours is 22:00-10:00",
        ("groups.yaml", "caps:", "quiet_hours:"),
    ),
}


@conflict(*sorted({case.split(":")[0] for case in FILTERED}))
@pytest.mark.parametrize("case", sorted(FILTERED))
def test_a_filter_keeps_every_item_out(tmp_path: Path, runner, case: str) -> None:
    ws = tmp_path / "ws"
    fields, items, rules, words, where = FILTERED[case]
    build(ws, [group("g", **fields)], items, rules)
    kind = items[0]["kind"]
    explained(
        runner, ws, MONDAY, f"no {kind} item can go out then: {words} ({source_of(ws, *where)})"
    )


@conflict("stage")
def test_stage_keeps_a_pinned_kind_out(tmp_path: Path, runner) -> None:
    """A lock pins an intro, which retention does not post (a lock binds no stage)."""
    ws = tmp_path / "ws"
    pin = {"group": "g", "item": "hi", "at": "2026-11-23 12:00"}
    items = items_of(("hi", "intro", {}), ("a", "article", {"repeat": "daily"}))
    with_files(ws, [group("g")], items, requiring("retention"), locks=[pin])
    where = builtin("stages.yaml", "stages:", "retention:", "kinds:")
    explained(runner, ws, MONDAY, f"stage retention does not allow intro ({where})")


@conflict("campaign_window")
def test_campaign_window(tmp_path: Path, runner) -> None:
    """The only news item is a launch post: on Monday, before the launch, nothing meets
    the daily news."""
    ws = tmp_path / "ws"
    launch = campaign("tea", "launch", {"l1": "launch"}, launch_at=LAUNCH, deadline=DEADLINE)
    rules = requiring("retention", {"kind": "news", "count": 1})
    with_files(ws, [group("g")], items_of(("l1", "news", {})), rules, campaigns=[launch])
    where = cited(ws / "campaigns.yaml", "id: tea")
    explained(runner, ws, MONDAY, f"l1 goes out only in campaign tea's windows ({where})")


@conflict("campaign_ban")
def test_campaign_ban_of_a_lock(tmp_path: Path, runner) -> None:
    ws = tmp_path / "ws"
    never = {"group": "g", "item": "ck", "forbid": True}
    with_files(ws, [group("g")], CHECKIN, A_CHECKIN, locks=[never])
    where = cited(ws / "locks.yaml", "group: g")
    explained(runner, ws, MONDAY, f"ck is kept out: never ck this week ({where})")


@conflict("campaign_ban")
def test_a_ban_names_only_what_keeps_the_item_out_that_day(tmp_path: Path, runner) -> None:
    """Monday's check-in is forbidden; a lock that keeps Sunday free is not why."""
    ws = tmp_path / "ws"
    locks = [
        {"group": "g", "item": "ck", "forbid": True, "date": "2026-11-23"},
        {"group": "g", "date": "2026-11-29", "no_posts": True},
    ]
    with_files(ws, [group("g")], CHECKIN, A_CHECKIN, locks=locks)
    sentence = explained(runner, ws, MONDAY, "never ck on 2026-11-23")
    assert "no posts on 2026-11-29" not in sentence, sentence
