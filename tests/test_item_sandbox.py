"""Item bodies see only the documented names, filters and syntax (issue 22, item 4): no Jinja
globals printing internals, nothing that grows a 1 KB body into gigabytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.cli import main
from tests.conftest import write

LEAKS = {
    "{{ lipsum }}": "undefined variable 'lipsum'",
    "{{ cycler }}": "undefined variable 'cycler'",
    "{{ range(3) | list }}": "undefined variable 'range'",
    "{{ dict(a=1) }}": "undefined variable 'dict'",
    "{{ joiner }}": "undefined variable 'joiner'",
    "{{ namespace }}": "undefined variable 'namespace'",
    "{{ group.vars.items }}": "prints a function (items)",
    "{{ '{:>9}'.format(1) }}": "calling 'format' is not available",
    "{{ item.title | pprint }}": "No filter named 'pprint'",
    "{{ item.title | random }}": "No filter named 'random'",
    "{{ item.title | center(999999999) }}": "No filter named 'center'",
    "{{ 'x' * 10**9 }}": "repeats text or a list beyond the size of a post",
    "{{ item.title | replace('', 'y' * 90000) }}": "replace builds text beyond the size",
    "{{ 2 ** 99999 }}": "2 ** 99999 is too large",
    "{{ '%999999999s' % 1 }}": "'%' formatting of text is not available",
    "{% set s = 'ab' %}{{ s }}": "{% set %} is not available in item text",
    "{% macro m() %}x{% endmacro %}{{ m() }}": "{% macro %} is not available",
}


def _item(root: Path, body: str) -> Path:
    return write(
        root / "content_library" / "intro" / "leak.md",
        f"---\nid: leak\nkind: intro\ntitle: leak\n---\nfirst line\n{body}\n",
    )


@pytest.mark.parametrize("body", sorted(LEAKS))
def test_check_refuses_what_item_text_may_not_use(runner, demo_copy, body) -> None:
    item = _item(demo_copy, body)
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert result.exit_code == 1, result.output
    assert f"{item}:7: " in result.stderr and LEAKS[body] in result.stderr
    assert " at 0x" not in result.stderr


def test_an_item_no_group_receives_is_still_checked(runner, demo_copy) -> None:
    item = write(
        demo_copy / "content_library" / "intro" / "nobody.md",
        "---\nid: nobody\nkind: intro\ntitle: x\ntopics: [no-such-topic]\n---\n"
        "{% set x = 1 %}\n{{ x }}\n",
    )
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert f"{item}:7: {{% set %}} is not available in item text" in result.stderr


def test_documented_features_render_the_same_twice(demo_copy) -> None:
    from planner.errors import Findings
    from planner.models.groups import Group
    from planner.workspace.library import load_item
    from planner.workspace.templates import render_item

    body = (
        "{% for tag in group.tags | sort %}{{ loop.index }}{{ tag | upper }}{% endfor %}"
        "{{ item.title | default('x') | truncate(9) }}{{ group.tags | join('、') }}"
        "{{ (group.members * 2) | string }}{{ 'ab' * 3 }}{{ post.date }}"
        "{{ item.title | replace('le', 'LE') }}"
    )
    path = _item(demo_copy, body)
    item = load_item(path, Findings())
    group = Group.model_validate(
        {"id": "g", "name": "G", "type": "long_term", "members": 5, "operator": "o",
         "stages": [{"from": "2026-11-01", "stage": "retention"}], "tags": ["b", "a"]}
    )  # fmt: skip
    post = {"date": "2026-11-23"}
    first = render_item(item, group, post)
    assert first == render_item(item, group, post)
    assert first == "first line\n1A2Bleakb、a10ababab2026-11-23LEak"
