"""`post.since_anchor`: a past anchor (the live a replay follows) said from the post's
day, from the real gap (issue 17: "昨晚的直播" in a replay 45 minutes after the live)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from planner.workspace.relative_day import since_anchor
from planner.workspace.templates import post_context

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIVE = datetime(2026, 12, 3, 20, 0, tzinfo=SHANGHAI)  # a Thursday evening


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("post", "anchor", "said"),
    [
        ("2026-12-03 21:45", LIVE, "刚才"),  # 45 minutes after the hour-long live
        ("2026-12-03 23:30", LIVE, "今晚"),
        ("2026-12-04 09:00", LIVE, "昨晚"),
        ("2026-12-05 09:00", LIVE, "前天晚上"),
        ("2026-12-08 09:00", LIVE, "12月3日晚上"),
        ("2026-12-04 20:00", _at("2026-12-03 10:00"), "昨天"),
        ("2026-12-04 09:00", None, ""),
    ],
)
def test_since_anchor_from_the_real_gap(post: str, anchor, said: str) -> None:
    assert since_anchor(_at(post), anchor) == said


def test_since_anchor_in_english_and_in_the_post_context() -> None:
    assert since_anchor(_at("2026-12-04 09:00"), LIVE, "en") == "last night"
    assert since_anchor(_at("2026-12-03 21:00"), LIVE, "en") == "just now"
    assert post_context(_at("2026-12-04 09:00"), anchor=LIVE)["since_anchor"] == "昨晚"
