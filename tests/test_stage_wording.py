"""Stage-specific wording only where the stage fits: the built-in library's "welcome back"
goes only to groups in reactivation, and "第 N 天" only to a daily check-in series (whose
streak the planner counts)."""

from __future__ import annotations

import re

from planner.errors import Findings
from planner.models.common import Kind, Stage
from planner.workspace.library import load_library
from planner.workspace.resources import builtin_library

WELCOME_BACK = re.compile(r"好久没冒泡|欢迎回家|欢迎回来|老朋友回归|又开始啦")
DAY_N = re.compile(r"第\s*(\d+|\{\{[^}]*\}\})\s*天")


def _texts() -> dict[str, tuple[object, str]]:
    """Each built-in item with what members read: its title, body and seeded replies."""
    findings = Findings()
    items = load_library(builtin_library(), None, findings).items
    return {
        item_id: (item, "\n".join([item.title, item.body, *item.atmosphere]))
        for item_id, item in items.items()
    }


def test_welcome_back_goes_only_to_groups_in_reactivation() -> None:
    speaking = {i: item for i, (item, text) in _texts().items() if WELCOME_BACK.search(text)}
    assert "checkin-reactivation-daily" in speaking, "the phrases are still looked for"
    wrong = {i: item.stages for i, item in speaking.items() if item.stages != [Stage.reactivation]}
    assert wrong == {}


def test_day_n_only_in_a_daily_checkin_series() -> None:
    counting = {i: item for i, (item, text) in _texts().items() if DAY_N.search(text)}
    assert "checkin-morning" in counting, "the phrase is still looked for"
    wrong = sorted(
        i
        for i, item in counting.items()
        if item.kind != Kind.checkin or getattr(item, "repeat", None) != "daily"
    )
    assert wrong == []
