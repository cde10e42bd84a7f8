"""Issue 17, item 5: nothing but the closing posts after a training camp or short event
ends, and the thanks post names the real number of days until the dissolve notice.

Before, homework, articles and deals went on after the camp's `end`, and the thanks post
said "3 天后解散" whatever the day it went out.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from test_campaigns import FILLER, at, of, solve, with_campaigns
from test_scheduler_rules import add, post, rules_broken
from tiny import WEEK, campaign, group, items_of

from planner.campaigns.build import playbook

CAMP_END = "2026-11-25"  # a Wednesday: the camp group then has four days of the week left


def _camp(tmp_path: Path, rules=None):
    items = FILLER + items_of(
        ("lesson", "article", {"repeat": "daily"}),
        ("offer", "deal", {"value": 10}),
        ("call", "reminder", {}),
    )
    roles = {"lesson": "value", "offer": "conversion", "call": "follow_up"}
    camp = campaign("camp", "training_camp", roles, start="2026-11-09", end=CAMP_END)
    g = group("g", stage="conversion", gtype="training_camp")
    extra = {} if rules is None else {"rules": rules}
    return with_campaigns(tmp_path, [g], items, [camp], **extra)


def test_no_post_after_a_training_camp_ends(tmp_path: Path) -> None:
    ws = _camp(tmp_path)
    plan = solve(ws)
    assert plan.posts
    assert max(p.start for p in plan.posts) < at("2026-11-26 00:00")
    late = add(plan, post(ws, "g", "a0", at("2026-11-27 10:00")))
    assert rules_broken(ws, late) == {"campaign_ban", "stage"}  # the camp's group is closed


def test_the_days_after_a_camp_ask_for_no_required_posts(tmp_path: Path) -> None:
    ws = _camp(tmp_path, rules={})  # the built-in stages, which require posts every day
    book = playbook(ws, WEEK)
    after = {WEEK + timedelta(days=n) for n in range(3, 7)}
    assert {day for g, day in book.days_off if g == "g"} == after


def _event(tmp_path: Path, thanks_body: str):
    items = FILLER + items_of(
        ("event", "news", {"repeat": "daily"}),
        ("bye", "dissolve_notice", {}),
    )
    items += [{**spec, "body": thanks_body} for spec in items_of(("thanks", "news", {}))]
    roles = {"event": "event", "thanks": "thanks", "bye": "dissolve"}
    event = campaign(
        "market", "short_event", roles, start="2026-11-20", end="2026-11-24", dissolve_after_days=4
    )
    g = group("g", stage="activation", gtype="short_event", event_end="2026-11-24")
    return with_campaigns(tmp_path, [g], items, [event])


def test_only_thanks_and_dissolve_between_an_events_end_and_its_dissolve(tmp_path: Path) -> None:
    ws = _event(tmp_path, "谢谢")
    plan = solve(ws)
    after_end = {p.item for p in plan.posts if p.start >= at("2026-11-25 00:00")}
    assert after_end == {"thanks", "bye"}
    filler = add(plan, post(ws, "g", "a0", at("2026-11-26 10:00")))
    assert rules_broken(ws, filler) == {"campaign_ban"}


def test_the_thanks_text_counts_the_real_days_to_the_dissolve(tmp_path: Path) -> None:
    ws = _event(tmp_path, "本群将在 {{ post.days_to_anchor }} 天后解散")
    plan = solve(ws)
    [thanks], [bye] = of(plan, "thanks"), of(plan, "bye")
    days = (bye.start.date() - thanks.start.date()).days
    assert bye.start.date().isoformat() == "2026-11-28"
    assert thanks.text == f"本群将在 {days} 天后解散"


def test_the_built_in_thanks_text_has_no_fixed_number_of_days() -> None:
    library = Path(__file__).parent.parent / "content_library"
    text = (library / "news" / "news-event-thanks-next.md").read_text("utf-8")
    assert "3 天后解散" not in text and "post.days_to_anchor" in text


def test_a_short_event_group_without_a_campaign_posts_only_its_notice_after_the_end(
    tmp_path: Path,
) -> None:
    """The implicit dissolve (event_end and no short_event campaign) closes the group the
    same way: before, fillers went on between the end and the dissolve notice."""
    items = FILLER + items_of(("bye", "dissolve_notice", {"group_types": ["short_event"]}))
    g = group("g", stage="activation", gtype="short_event", event_end="2026-11-24")
    ws = with_campaigns(tmp_path, [g], items, [])
    plan = solve(ws)
    assert {p.item for p in plan.posts if p.start >= at("2026-11-25 00:00")} == {"bye"}
    filler = add(plan, post(ws, "g", "a0", at("2026-11-26 10:00")))
    assert rules_broken(ws, filler) == {"campaign_ban"}


def _event_with_reminder(tmp_path: Path, reminder: dict, bind: dict):
    items = FILLER + items_of(
        ("event", "news", {"repeat": "daily"}),
        ("bye", "dissolve_notice", {}),
        ("remind", "reminder", reminder),
    )
    roles = {"event": "event", "bye": "dissolve"}
    event = campaign("market", "short_event", roles, start="2026-11-26", end="2026-11-26")
    event["items"].append({"item": "remind", "role": "reminder", **bind})
    g = group("g", stage="activation", gtype="short_event")
    return with_campaigns(tmp_path, [g], items, [event])


def test_an_event_reminder_goes_out_at_its_day_and_time(tmp_path: Path) -> None:
    ws = _event_with_reminder(tmp_path, {"at": "0d 08:00"}, {})
    plan = solve(ws)
    [remind] = of(plan, "remind")
    assert remind.start == at("2026-11-26 08:00")
    assert rules_broken(ws, plan) == set()
    moved_off = add(plan, post(ws, "g", "remind", at("2026-11-25 19:00")))
    assert "campaign_window" in rules_broken(ws, moved_off)


def test_an_event_reminder_without_offset_goes_the_day_before_or_that_morning(
    tmp_path: Path,
) -> None:
    ws = _event_with_reminder(tmp_path, {}, {})
    [remind] = of(solve(ws), "remind")
    assert at("2026-11-25 00:00") <= remind.start < at("2026-11-26 12:00")


def test_a_reminder_due_at_an_offset_goes_out_only_in_a_campaign(tmp_path: Path) -> None:
    """reminder-event-day ("今天就是活动日啦") went to any market event group on any day."""
    items = FILLER + items_of(("remind", "reminder", {"at": "0d 08:00", "value": 10}))
    g = group("g", stage="activation", gtype="short_event")
    ws = with_campaigns(tmp_path, [g], items, [])
    plan = solve(ws)
    assert of(plan, "remind") == []
    forced = add(plan, post(ws, "g", "remind", at("2026-11-26 08:00")))
    assert "campaign_only" in rules_broken(ws, forced)
