"""Counting members' messages per group and hour of the week, export by export.

Memory stays bounded whatever the exports' size: a chat keeps one 7 x 24 table per week of
history and its time span; messages are counted and dropped. A chat that an earlier export
already covered counts only the messages outside the spans that export held (the same
history exported twice is counted once).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.learn.engagement import PastPost, Watch
from planner.learn.formats import Message, Reading, read_export
from planner.learn.match import ChatMatcher


@dataclass
class Week:
    """One local week of a chat: members' messages per weekday and hour, first and last day."""

    counts: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    first: date | None = None
    last: date | None = None

    def add(self, local: datetime) -> None:
        self.counts[local.weekday()][local.hour] += 1
        day = local.date()
        self.first = day if self.first is None or day < self.first else self.first
        self.last = day if self.last is None or day > self.last else self.last


@dataclass
class ChatTally:
    """What one chat of the exports came to."""

    chat_id: str
    chat_name: str
    group: str | None
    zone: ZoneInfo | None
    weeks: dict[date, Week] = field(default_factory=dict)
    members: int = 0  # members' messages counted
    ours: int = 0
    service: int = 0
    duplicates: int = 0
    watch: Watch | None = None  # our earlier posts' reply windows (engagement)


@dataclass
class Tally:
    chats: dict[str, ChatTally] = field(default_factory=dict)
    readings: list[Reading] = field(default_factory=list)


def tally(
    paths: Iterable[Path],
    matcher: ChatMatcher,
    me: frozenset[str],
    past: dict[str, list[PastPost]] | None = None,
) -> Tally:
    """Read every export in turn and count its messages into its chat; `past`: each group's
    earlier posts, whose replies are counted."""
    out = Tally()
    covered: dict[str, list[tuple[datetime, datetime]]] = {}
    for path in paths:
        reading = Reading(path)
        out.readings.append(reading)
        spans: dict[str, list[datetime]] = {}
        for message in read_export(path, reading, me):
            chat = _chat(out, matcher, message, past or {})
            when = _utc(message, chat.zone)
            span = spans.setdefault(chat.chat_id, [when, when])
            span[0], span[1] = min(span[0], when), max(span[1], when)
            if any(start <= when <= end for start, end in covered.get(chat.chat_id, ())):
                chat.duplicates += 1
                continue
            _count(chat, message, when)
        for chat_id, (start, end) in spans.items():
            covered.setdefault(chat_id, []).append((start, end))
    for chat in out.chats.values():
        if chat.watch is not None:
            chat.watch.close()
    return out


def _chat(
    out: Tally, matcher: ChatMatcher, message: Message, past: dict[str, list[PastPost]]
) -> ChatTally:
    key = message.chat_id or message.chat_name
    chat = out.chats.get(key)
    if chat is None:
        group, zone = matcher.match(message.chat_id, message.chat_name)
        chat = ChatTally(key, message.chat_name, group, zone)
        if group in past:
            chat.watch = Watch(past[group])
        out.chats[key] = chat
    return chat


def _utc(message: Message, zone: ZoneInfo | None) -> datetime:
    """The message's time in UTC; a zone-less time is read in the group's zone."""
    if message.naive:
        return message.when.replace(tzinfo=zone or ZoneInfo("UTC")).astimezone(ZoneInfo("UTC"))
    return message.when


def _count(chat: ChatTally, message: Message, when: datetime) -> None:
    if message.service:
        chat.service += 1
        return
    if message.ours:
        chat.ours += 1
        if chat.watch is not None:
            chat.watch.ours(when, message.text)
        return
    chat.members += 1
    if chat.watch is not None:
        chat.watch.member(when, message.sender)
    if chat.zone is None:
        return
    local = when.astimezone(chat.zone)
    monday = local.date() - timedelta(days=local.weekday())
    chat.weeks.setdefault(monday, Week()).add(local)
