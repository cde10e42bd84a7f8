"""`planner check` on a demo copy broken in every way the foundation issue lists.

One run must name the file, the line and the problem of every break.
"""

from __future__ import annotations

from pathlib import Path

from conftest import line_of, replace_in, write

from planner.cli import main

GROUP_OVERLAP = """
  - id: extra-overlap
    name: 重叠时间线
    type: fan
    operator: xiaowang
    stages:
      - {from: 2026-11-01, stage: retention}
      - {from: 2026-11-01, stage: culture}
  - id: tea-lovers
    name: 重复的群
    type: fan
    operator: xiaowang
    stages: [{from: 2026-11-01, stage: retention}]
  - id: no-operator
    name: 没有运营
    type: fan
    stages: [{from: 2026-11-01, stage: retention}]
"""

CAMPAIGNS = """campaigns:
  - id: broken-live
    kind: live
    name: 冬茶直播
    start: 2026-11-25 20:00
    targets: {groups: [tea-lovers, no-such-group]}
    items:
      - {item: no-such-item, role: live}
"""


def _break_everything(ws: Path) -> list[tuple[Path, int, str]]:
    """Apply every break; return (file, line, fragment of the message) expected for each."""
    expected: list[tuple[Path, int, str]] = []
    settings = ws / "planner.yaml"
    replace_in(settings, "timezone: Asia/Shanghai", "timezone: Asia/Shanghia")
    expected.append((settings, line_of(settings, "timezone"), "unknown time zone 'Asia/Shanghia'"))

    groups = ws / "groups.yaml"
    replace_in(groups, "members: 212", "members: many")
    expected.append(
        (groups, line_of(groups, "members: many"), "'members' should be a valid integer")
    )
    replace_in(groups, "members: 156", "members: 156\n    colour: red")
    expected.append((groups, line_of(groups, "colour: red"), "unknown key 'colour'"))
    replace_in(
        groups, "{from: 2026-11-28, stage: conversion}", "{from: 2026-11-28, stage: convert}"
    )
    expected.append((groups, line_of(groups, "stage: convert}"), "unknown stage 'convert'"))
    replace_in(groups, "type: short_event", "type: short-event")
    expected.append(
        (groups, line_of(groups, "type: short-event"), "unknown group type 'short-event'")
    )
    replace_in(
        groups,
        "{from: 2026-10-01, stage: culture}",
        "{from: 2026-10-01, stage: culture}\n      - {from: 2026-09-01, stage: retention}",
    )
    expected.append((groups, line_of(groups, "id: app-beta"), "stage timeline is out of order"))
    groups.write_text(groups.read_text(encoding="utf-8") + GROUP_OVERLAP, encoding="utf-8")
    expected.append((groups, line_of(groups, "id: extra-overlap"), "stage timeline overlaps"))
    expected.append(
        (groups, line_of(groups, "name: 重复的群") - 1, "duplicate group id 'tea-lovers'")
    )
    expected.append((groups, line_of(groups, "id: no-operator"), "missing key 'operator'"))

    campaigns = write(ws / "campaigns.yaml", CAMPAIGNS)
    expected.append(
        (campaigns, line_of(campaigns, "no-such-group"), "unknown group 'no-such-group'")
    )
    expected.append((campaigns, line_of(campaigns, "no-such-item"), "unknown item 'no-such-item'"))

    library = ws / "content_library"
    bad_kind = write(
        library / "quiz" / "bad-kind.md", "---\nid: bad-kind\nkind: quizz\ntitle: 题\n---\n题目\n"
    )
    expected.append((bad_kind, 3, "unknown kind 'quizz'"))
    no_question = write(
        library / "quiz" / "no-question.md",
        "---\nid: no-question\nkind: quiz\ntitle: 题\noptions: [甲, 乙]\nanswer: 甲\n---\n题目\n",
    )
    expected.append((no_question, 2, "missing key 'question'"))
    undefined = write(
        library / "checkin" / "undefined-var.md",
        "---\nid: undefined-var\nkind: checkin\ntitle: 打卡\nstages: [retention]\npoints: 5\n---\n"
        "早安 {{ group.name }}\n今天由 {{ host_name }} 带大家打卡\n",
    )
    expected.append((undefined, 9, "undefined variable 'host_name'"))
    dup_a = write(
        library / "checkin" / "twin.md", "---\nid: twin\nkind: welcome\ntitle: 欢迎\n---\n欢迎\n"
    )
    write(library / "welcome" / "twin.md", "---\nid: twin\nkind: welcome\ntitle: 欢迎\n---\n欢迎\n")
    del dup_a
    expected.append((library / "welcome" / "twin.md", 2, "duplicate item id 'twin'"))
    front_syntax = write(
        library / "news" / "bad-yaml.md",
        "---\nid: bad-yaml\nkind: news\ntitle: [未闭合\n---\n正文\n",
    )
    expected.append((front_syntax, 5, "YAML syntax error"))

    caps = write(ws / "rules" / "caps.yaml", "defaults:\n  per_day: 4\n  per_hour: [1, 2\n")
    expected.append((caps, 4, "YAML syntax error"))
    return expected


def test_every_break_is_reported_in_one_run(demo_copy: Path, runner) -> None:
    expected = _break_everything(demo_copy)
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.output
    for path, line, fragment in expected:
        prefix = f"{path}:{line}: "
        hits = [text for text in lines if text.startswith(prefix) and fragment in text]
        assert hits, f"no line starting {prefix!r} containing {fragment!r} in:\n{result.stderr}"
    assert lines[-1].endswith(f"problem(s) found in {demo_copy}")


def test_clean_demo_passes(demo_copy: Path, runner) -> None:
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert result.exit_code == 0, result.output
    assert "OK" in result.stdout
