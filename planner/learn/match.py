"""Which group an exported chat is: by `chat_ids:` in groups.yaml, else by exact name.

A chat no group claims, or whose name several groups share, stays unmatched: it is
listed, never guessed.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from planner.models.groups import Group


class ChatMatcher:
    def __init__(self, groups: list[Group], default_zone: str) -> None:
        self.by_id: dict[str, Group] = {}
        self.by_name: dict[str, list[Group]] = {}
        for group in groups:
            for chat_id in group.chat_ids:
                self.by_id.setdefault(str(chat_id), group)
            self.by_name.setdefault(group.name, []).append(group)
        self.default_zone = default_zone

    def match(self, chat_id: str, chat_name: str) -> tuple[str | None, ZoneInfo | None]:
        """(group id, its time zone), or (None, None) when no single group is the chat."""
        group = self.by_id.get(chat_id)
        if group is None:
            named = self.by_name.get(chat_name, []) if chat_name else []
            group = named[0] if len(named) == 1 and not named[0].chat_ids else None
        if group is None:
            return None, None
        return group.id, ZoneInfo(group.timezone or self.default_zone)
