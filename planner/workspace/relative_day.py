"""`post.when_anchor` and `post.days_to_anchor`: the campaign's anchor (a live's start, a
deadline, a dissolve day) said relative to the post's own day, so that "明晚" is written
only when the live is tomorrow evening and "3 天后解散" only when it is three days away."""

from __future__ import annotations

from datetime import datetime

EVENING_FROM = 18  # an anchor from 18:00 on is "evening" (今晚, 明晚)

_NEAR = {
    "zh-CN": {0: ("今天", "今晚"), 1: ("明天", "明晚"), 2: ("后天", "后天晚上")},
    "en": {0: ("today", "tonight"), 1: ("tomorrow", "tomorrow evening")},
}
_FAR = {
    "zh-CN": ("{m}月{d}日", "{m}月{d}日晚上"),
    "en": ("on {month} {d}", "on {month} {d}, evening"),
}


def days_to(start: datetime, anchor: datetime | None) -> int | None:
    """Whole days from the post's day to the anchor's day (None without an anchor)."""
    if anchor is None:
        return None
    anchor = anchor.astimezone(start.tzinfo) if start.tzinfo else anchor
    return (anchor.date() - start.date()).days


def when_anchor(start: datetime, anchor: datetime | None, locale: str = "zh-CN") -> str:
    """今晚 / 明晚 / 后天 / 12月3日 for the anchor seen from `start` ("" without an anchor)."""
    if anchor is None:
        return ""
    anchor = anchor.astimezone(start.tzinfo) if start.tzinfo else anchor
    words = locale if locale in _NEAR else "zh-CN"
    evening = int(anchor.hour >= EVENING_FROM)
    near = _NEAR[words].get((anchor.date() - start.date()).days)
    if near is not None:
        return near[evening]
    return _FAR[words][evening].format(m=anchor.month, d=anchor.day, month=anchor.strftime("%B"))
