"""A demand whose every slot some rule closes, though no one rule closes them all (an item's
own window and its operator's hours that do not overlap), is explained by each of those
rules with its file:line, not by "finds no open slot"."""

from __future__ import annotations

from pathlib import Path

from conflicts import MONDAY, said, sentences
from conftest import line_of, write
from tiny import build, group, items_of


def test_an_items_window_and_its_operators_hours_that_miss_each_other(
    tmp_path: Path, runner
) -> None:
    root = tmp_path / "ws"
    build(
        root,
        [group("g")],
        items_of(("ck", "checkin", {"repeat": "daily", "window": "07:00-08:30"})),
    )
    settings = root / "planner.yaml"
    hours = 'operators:\n  op:\n    hours: {weekday: "08:30-22:00", weekend: "08:30-22:00"}\n'
    write(settings, settings.read_text("utf-8") + hours)
    sentence = said(sentences(runner, root), MONDAY)
    item = root / "content_library" / "checkin" / "ck.md"
    assert sentence.endswith(
        "but no checkin item can go out then: "
        f"operator op works 08:30-22:00 on weekdays ({settings}:{line_of(settings, 'hours:')}) "
        f"and ck only goes out 07:00-08:30 ({item}:{line_of(item, 'window:')}), "
        "which leaves it no slot"
    ), sentence
