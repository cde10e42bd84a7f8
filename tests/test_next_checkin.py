"""`post.next_checkin`: the time a reactivation's posts promise for the first check-in is
the planned one (issue 17: "明早 7:00" was promised and the check-in came at 08:00)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from planner.workspace.templates import post_context

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_next_checkin_is_said_from_the_posts_day() -> None:
    post = datetime(2026, 11, 30, 8, 0, tzinfo=SHANGHAI)
    checkin = datetime(2026, 12, 1, 7, 45, tzinfo=SHANGHAI)
    context = post_context(post, next_checkin=checkin)
    assert (context["next_checkin_day"], context["next_checkin"]) == ("明天", "07:45")
    later = post_context(post, next_checkin=datetime(2026, 12, 3, 9, 15, tzinfo=SHANGHAI))
    assert (later["next_checkin_day"], later["next_checkin"]) == ("12月3日", "09:15")


def test_without_a_checkin_after_it_both_are_empty() -> None:
    context = post_context(datetime(2026, 12, 6, 20, 0, tzinfo=SHANGHAI))
    assert (context["next_checkin_day"], context["next_checkin"]) == ("", "")
