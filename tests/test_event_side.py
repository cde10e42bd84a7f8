"""event_side: items about a group's event go out on their side of it (issue 17: a photo
prompt before the event, a pre-event poll after it), and nowhere without a known event."""

from __future__ import annotations

from pathlib import Path

from conflicts import cited, explained
from test_catalogue import FILLER, of, swapped
from test_scheduler_rules import NO_REQUIRED, at, day_posts, rules_broken, solve
from tiny import WEEK, build, campaign, group, items_of, with_files

from planner.campaigns.build import playbook

THURSDAY = "2026-11-26"
ABOUT = items_of(
    ("pre", "poll", {"repeat": "daily", "event_side": "before", "value": 10}),
    ("photos", "ugc_prompt", {"repeat": "daily", "event_side": "after", "value": 10}),
)
EVENT_GROUP = group("g", gtype="short_event", event_end=THURSDAY)


def test_event_side_satisfied(tmp_path: Path) -> None:
    ws = build(tmp_path, [EVENT_GROUP, group("h")], FILLER + ABOUT, NO_REQUIRED)
    plan = solve(ws)
    pre, photos = of(plan, "pre"), of(plan, "photos")
    assert pre and photos and all(p.group == "g" for p in photos)  # h has no event yet
    assert all(p.start < at(3, "00:00") for p in pre if p.group == "g")
    assert all(p.start >= at(3, "00:00") for p in photos)


def test_event_side_violated(tmp_path: Path) -> None:
    ws = build(tmp_path, [EVENT_GROUP, group("h")], FILLER + ABOUT, NO_REQUIRED)
    plan = solve(ws)
    monday, thursday = day_posts(plan, "g", 0)[0], day_posts(plan, "g", 3)[0]
    assert rules_broken(ws, swapped(ws, plan, monday, "photos")) == {"event_side"}
    assert rules_broken(ws, swapped(ws, plan, thursday, "pre")) == {"event_side"}
    elsewhere = day_posts(plan, "h", 1)[0]  # a group with no event yet: nothing about after
    assert rules_broken(ws, swapped(ws, plan, elsewhere, "photos")) == {"event_side"}


def _event_of(root: Path, event_at: str | None):
    """Group g's event, with a short event announced Tuesday to Thursday binding an
    offline event (at `event_at`, or with none)."""
    fields = {"place": "店里", "fee": 0, **({"event_at": event_at} if event_at else {})}
    days = {"start": "2026-11-24", "end": THURSDAY}
    event = campaign("taste", "short_event", {"tasting": "event"}, **days)
    items = FILLER + ABOUT + items_of(("tasting", "offline_event", fields))
    ws = with_files(root, [group("g", gtype="short_event")], items, campaigns=[event])
    book = playbook(ws, WEEK)
    return book.events["g"], book.moments("g")


def test_the_event_is_an_offline_events_time_else_the_campaigns_days(tmp_path: Path) -> None:
    """With `event_at` Thursday 14:00 a pre-event poll may go out Thursday morning, a photo
    prompt only after 14:00; without it, before Tuesday and from Thursday on."""
    event, moments = _event_of(tmp_path / "at", f"{THURSDAY} 14:00")
    assert (event.first, event.last) == (at(3, "14:00"), at(3, "14:00"))
    assert event.source == ("item", "tasting", "event_at", "event_at")
    assert at(3, "14:00") in moments  # a slot boundary: no segment straddles it
    event, moments = _event_of(tmp_path / "days", None)
    assert (event.first, event.last) == (at(1, "00:00"), at(3, "00:00"))
    assert event.source == ("campaign", "taste", "start", "end")


def test_event_side_explained(tmp_path: Path, runner) -> None:
    """Thursday requires a poll; the only poll is about before the event, which is that day."""
    ws = tmp_path / "ws"
    required = {"stages": {"stages": {"retention": {"required": [{"kind": "poll", "count": 1}]}}}}
    build(ws, [EVENT_GROUP], FILLER + ABOUT[:1], required)
    item_line = cited(ws / "content_library/poll/pre.md", "event_side:")
    group_line = cited(ws / "groups.yaml", "event_end:")
    explained(
        runner,
        ws,
        "group g, Thu 2026-11-26",
        f"pre goes out only before the event at Thu 00:00 ({group_line}; event_side: before, "
        f"{item_line})",
    )


def test_an_item_about_during_goes_out_from_the_events_first_day(tmp_path: Path) -> None:
    """A market Tuesday to Thursday: today's-favourite-part polls go out from Tuesday, not
    before (a multi-day market's evenings had nothing about it until its last day)."""
    days = {"start": "2026-11-24", "end": THURSDAY}
    market = campaign("market", "short_event", {"stalls": "event"}, **days)
    during = items_of(
        ("today", "poll", {"repeat": "daily", "event_side": "during", "value": 10}),
        ("stalls", "offline_event", {"place": "广场", "fee": 0, "repeat": "daily"}),
    )
    groups = [group("g", gtype="short_event")]
    ws = with_files(tmp_path, groups, FILLER + during, NO_REQUIRED, campaigns=[market])
    plan = solve(ws)
    today = of(plan, "today")
    assert today and all(p.start >= at(1, "00:00") for p in today)
    assert any(p.start < at(3, "00:00") for p in today)  # while it runs, not only after
    monday = day_posts(plan, "g", 0)[0]
    assert rules_broken(ws, swapped(ws, plan, monday, "today")) == {"event_side"}
