"""The steps of a week's playbook one at a time (planner.campaigns): the stage timeline,
the user's locks, memory across weeks, the implicit dissolve, window narrowing and the
builder's cut to the week. The campaign kinds are tested whole in test_campaigns."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from test_campaigns import at, with_campaigns
from tiny import WEEK, build, group, items_of

from planner.campaigns.builder import Builder
from planner.campaigns.dissolve import implicit_dissolves
from planner.campaigns.locks import locks
from planner.campaigns.memory import memory
from planner.campaigns.playbook import Playbook
from planner.campaigns.timeline import advance, settle, stage_on
from planner.campaigns.windows import bindings
from planner.workspace.check import check_workspace

ITEMS = items_of(
    ("a1", "article", {"repeat": "daily", "cooldown_days": 2}),
    ("a2", "article", {"repeat": "daily"}),
    ("once", "article", {}),
    ("bye", "dissolve_notice", {}),
)
NEW_YORK = ZoneInfo("America/New_York")


def test_a_playbook_change_wins_a_tie_with_the_groups_own_timeline(tmp_path: Path) -> None:
    stages = [
        {"from": "2026-11-01", "stage": "retention"},
        {"from": "2026-11-25", "stage": "launch"},
    ]
    ws = build(tmp_path, [group("g", stages=stages)], ITEMS)
    book = Playbook()
    advance(book, "g", (date(2026, 11, 25), "activation"), (date(2026, 11, 27), None))
    g = ws.group("g")
    assert stage_on(g, date(2026, 10, 31), book) is None  # before the timeline starts
    assert stage_on(g, date(2026, 11, 24), book) == "retention"
    assert stage_on(g, date(2026, 11, 25), book) == "activation"  # not the group's launch
    assert stage_on(g, date(2026, 11, 27), book) is None  # dissolved: the timeline ends


def test_settled_changes_are_in_date_order_and_keep_the_order_of_one_day() -> None:
    book = Playbook()
    monday, tuesday = WEEK, WEEK + timedelta(days=1)
    advance(book, "g", (tuesday, "activation"), (monday, "onboarding"))
    advance(book, "g", (tuesday, None))
    settle(book)
    expected = [(monday, "onboarding"), (tuesday, "activation"), (tuesday, None)]
    assert book.stage_changes["g"] == expected


LOCKS = """\
locks:
  - group: g
    item: a1
    at: "2026-11-24 10:00"
  - group: g
    date: "2026-11-25"
    no_posts: true
  - group: g
    item: a2
    forbid: true
  - group: g
    item: a1
    at: "2026-12-02 10:00"
"""


def _locked(root: Path) -> Builder:
    build(root, [group("g", timezone="America/New_York")], ITEMS)
    (root / "locks.yaml").write_text(LOCKS, "utf-8")
    ws, findings = check_workspace(root)
    assert ws is not None and not findings.errors
    builder = Builder(ws, WEEK)
    locks(builder)
    return builder


def test_a_pin_is_one_post_in_its_slot_naming_its_line(tmp_path: Path) -> None:
    book = _locked(tmp_path).book
    [pin] = book.needs  # the pin of next week adds nothing
    start = datetime(2026, 11, 24, 10, 0, tzinfo=NEW_YORK)  # the group's time, not the workspace's
    assert (pin.rule, pin.role, pin.items, pin.low, pin.high) == ("lock", "pin", ("a1",), 1, 1)
    assert (pin.start, pin.end) == (start, start + timedelta(minutes=30))
    assert pin.campaign == "lock@locks.yaml:2" and f"({tmp_path / 'locks.yaml'}:2)" in pin.label


def test_no_posts_is_a_day_off_and_forbid_without_a_date_holds_all_week(tmp_path: Path) -> None:
    book = _locked(tmp_path).book
    assert book.days_off == {("g", date(2026, 11, 25))}
    day_off, never = book.bans
    assert day_off.items is None and day_off.rule == "lock"
    assert day_off.start == datetime(2026, 11, 25, tzinfo=NEW_YORK)
    assert day_off.end == datetime(2026, 11, 26, tzinfo=NEW_YORK)
    assert (
        never.items == ("a2",)
        and never.label == f"never a2 this week ({tmp_path / 'locks.yaml'}:8)"
    )
    assert (never.start, never.end) == (
        datetime(2026, 11, 23, tzinfo=NEW_YORK),
        datetime(2026, 11, 30, tzinfo=NEW_YORK),
    )


def _remembered(root: Path, posts: dict[tuple[str, str], datetime]) -> Playbook:
    ws = build(root, [group("g")], ITEMS)
    earlier = {key: SimpleNamespace(start=start) for key, start in posts.items()}
    builder = Builder(ws, WEEK)
    memory(builder, SimpleNamespace(last_posted=lambda: earlier, earlier=[]))
    return builder.book


def test_a_cooldown_counts_from_the_groups_own_day(tmp_path: Path) -> None:
    """Sunday 01:00 in Shanghai is Saturday in UTC: two days' cooldown reach into Monday."""
    book = _remembered(tmp_path, {("g", "a1"): datetime(2026, 11, 21, 17, 0, tzinfo=UTC)})
    [ban] = book.bans
    assert (ban.items, ban.rule) == (("a1",), "item_reuse")
    assert (ban.start, ban.end) == (at("2026-11-23 00:00"), at("2026-11-24 00:00"))
    assert ban.label == "a1 was posted on 2026-11-22, cooldown_days is 2"


def test_a_once_item_waits_its_weeks_and_an_old_cooldown_binds_nothing(tmp_path: Path) -> None:
    posts = {("g", "a1"): at("2026-11-10 09:00"), ("g", "once"): at("2026-11-10 09:00")}
    [ban] = _remembered(tmp_path, posts).bans  # a1's cooldown ended on 11-12
    assert ban.items == ("once",) and ban.end == at("2026-12-08 00:00")  # 4 weeks (caps.yaml)
    assert "once_items_reuse_weeks" in ban.label


def test_a_short_event_group_is_dissolved_without_a_campaign(tmp_path: Path) -> None:
    groups = [
        group("ended", gtype="short_event", event_end="2026-11-22"),
        group("covered", gtype="short_event", event_end="2026-11-22"),
        group("kept", gtype="long_term"),
    ]
    ws = build(tmp_path, groups, ITEMS)
    builder = Builder(ws, WEEK)
    implicit_dissolves(builder, covered={"covered"})
    book = builder.book
    [notice] = book.needs
    day = date.fromisoformat(notice.start.isoformat()[:10])
    assert (notice.group, notice.role, notice.items) == ("ended", "dissolve", ("bye",))
    assert stage_on(ws.group("ended"), day + timedelta(days=1), book) is None
    [last] = book.order
    assert last.then == ("bye",) and set(last.first) == {"a1", "a2", "once"}
    assert {ban.group for ban in book.bans} == {"ended"}


def test_a_bindings_day_and_time_narrow_its_items_windows(tmp_path: Path) -> None:
    campaign = {
        "id": "wake",
        "kind": "reactivation",
        "name": "唤醒",
        "targets": {"groups": ["g"]},
        "start": "2026-11-23",
        "activation_after_days": 5,
        "items": [
            {"item": "a1", "role": "seed", "day": 1},
            {"item": "a2", "role": "theme", "at": "07:30"},
        ],
    }
    ws = with_campaigns(tmp_path, [group("g")], ITEMS, [campaign])
    builder = Builder(ws, WEEK)
    g, spec = ws.group("g"), ws.campaigns[0]
    week = (at("2026-11-23 00:00"), at("2026-11-26 00:00"))
    builder.window(spec, g, ("a1", "a2", "once"), *week)
    bindings(builder)
    windows = builder.book.windows
    assert windows[("g", "a1")] == [(at("2026-11-24 00:00"), at("2026-11-25 00:00"))]
    half_past_seven = [at(f"2026-11-{d} 07:30") for d in (23, 24, 25)]
    assert windows[("g", "a2")] == [(t, t + timedelta(minutes=30)) for t in half_past_seven]
    assert windows[("g", "once")] == [week]  # no binding of its own: left as it was


def test_a_window_outside_the_week_is_no_need_unless_its_anchor_is_in_it(tmp_path: Path) -> None:
    """A teaser window that closed last week is still owed when the launch is this week."""
    ws = build(tmp_path, [group("g")], ITEMS)
    builder = Builder(ws, WEEK)
    g, campaign = ws.group("g"), SimpleNamespace(id="c")
    last_week = (at("2026-11-20 00:00"), at("2026-11-21 00:00"))
    anchors = {"gone": None, "owed": "2026-11-23 10:00", "old": "2026-11-22 10:00"}
    for label, anchor in anchors.items():
        launch = at(anchor) if anchor else None
        builder.need(campaign, g, "teaser", ("a1",), *last_week, 1, None, label, launch)
    assert [need.label for need in builder.book.needs] == ["owed"]
    assert builder.book.windows[("g", "a1")] == [last_week] * 3  # the item is bound all the same
