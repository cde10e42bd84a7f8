"""An operator's hours on the run sheet in the page's locale (issue 17: English labels
`weekday 18:00-22:30 · weekend off` stood on zh-CN pages)."""

from __future__ import annotations

from planner.models.settings import OperatorHours
from planner.writers.labels import hours_label


def test_zh_cn_hours_say_workdays_weekend_days_and_off() -> None:
    hours = OperatorHours.model_validate(
        {"weekday": ["07:00-09:00", "18:00-22:30"], "weekend": "off", "sat": "10:00-12:00"}
    )
    assert hours_label("zh-CN", hours) == (
        "工作日 07:00-09:00、18:00-22:30 · 周末 休息 · 周六 10:00-12:00"
    )


def test_other_locales_keep_planner_yaml_words() -> None:
    hours = OperatorHours.model_validate({"weekday": "18:00-22:30", "weekend": "off"})
    assert hours_label("en", hours) == "weekday 18:00-22:30 · weekend off"
