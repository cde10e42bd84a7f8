"""`post.when_anchor`, `post.since_anchor` and `post.days_to_anchor`: the campaign's anchor
(a live's start, a deadline, a dissolve day) said relative to the post's own day, so that
"明晚" is written only when the live is tomorrow evening, "昨晚的直播" only when it was
last night (a replay 45 minutes after the live says "刚才"), and "3 天后解散" only when it
is three days away."""

from __future__ import annotations

from datetime import datetime, timedelta

EVENING_FROM = 18  # an anchor from 18:00 on is "evening" (今晚, 明晚)
JUST_NOW = timedelta(hours=3)  # a post this soon after the anchor's start says "刚才"

_NEAR = {
    "zh-CN": {0: ("今天", "今晚"), 1: ("明天", "明晚"), 2: ("后天", "后天晚上")},
    "en": {0: ("today", "tonight"), 1: ("tomorrow", "tomorrow evening")},
}
_PAST = {
    "zh-CN": {0: ("今天", "今晚"), 1: ("昨天", "昨晚"), 2: ("前天", "前天晚上")},
    "en": {0: ("today", "tonight"), 1: ("yesterday", "last night")},
}
_JUST_NOW = {"zh-CN": "刚才", "en": "just now"}
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
    return _said(start, anchor, locale, _NEAR)


def since_anchor(start: datetime, anchor: datetime | None, locale: str = "zh-CN") -> str:
    """刚才 / 今晚 / 昨晚 / 前天晚上 / 12月3日 for an anchor already past at `start` (a
    live a replay follows; "" without an anchor)."""
    if anchor is None:
        return ""
    gap = start - (anchor.astimezone(start.tzinfo) if start.tzinfo else anchor)
    if timedelta(0) <= gap <= JUST_NOW:
        return _JUST_NOW.get(locale, _JUST_NOW["zh-CN"])
    return _said(start, anchor, locale, _PAST, sign=-1)


def _said(start: datetime, anchor: datetime | None, locale: str, words, sign: int = 1) -> str:
    """The anchor's day in `words` (days after the post's day, times `sign`), else its date."""
    if anchor is None:
        return ""
    anchor = anchor.astimezone(start.tzinfo) if start.tzinfo else anchor
    language = locale if locale in words else "zh-CN"
    evening = int(anchor.hour >= EVENING_FROM)
    near = words[language].get(sign * (anchor.date() - start.date()).days)
    if near is not None:
        return near[evening]
    far = _FAR[language][evening]
    return far.format(m=anchor.month, d=anchor.day, month=anchor.strftime("%B"))
