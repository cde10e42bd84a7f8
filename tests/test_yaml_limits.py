"""YAML a workspace never needs is refused at its line, fast: aliases that refer to themselves
or expand without bound, deep nesting, huge files (issue 22, item 1)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from planner.cli import main
from planner.workspace import limits
from tests.conftest import write

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8)
)


def _check(runner, root: Path):
    result = runner.invoke(main, ["check", str(root)])
    assert result.exit_code == 1, result.output
    return result.stderr


@pytest.mark.parametrize("name", ["groups.yaml", "planner.yaml", "campaigns.yaml", "locks.yaml"])
def test_billion_laughs_is_refused_fast_where_it_grows_too_large(runner, demo_copy, name) -> None:
    write(demo_copy / name, "# shared by a colleague\n" + BILLION_LAUGHS)
    started = time.perf_counter()
    stderr = _check(runner, demo_copy)
    assert time.perf_counter() - started < 10
    assert f"{demo_copy / name}:7: aliases expand to more than 200,000 values" in stderr


def test_a_self_referencing_alias_in_a_rule_pack_is_refused(runner, demo_copy) -> None:
    write(demo_copy / "rules" / "caps.yaml", "defaults: &d\n  loop: *d\n")
    stderr = _check(runner, demo_copy)
    assert f"{demo_copy / 'rules' / 'caps.yaml'}:2: alias *d refers to itself" in stderr


def test_an_alias_in_front_matter_names_the_item_line(runner, demo_copy) -> None:
    item = write(
        demo_copy / "content_library" / "intro" / "x.md",
        "---\nid: x\nkind: intro\ntitle: hi\n" + BILLION_LAUGHS + "---\nhello\n",
    )
    assert f"{item}:10: aliases expand to more than" in _check(runner, demo_copy)


def test_aliases_expanded_within_bounds_are_read(runner, demo_copy) -> None:
    """yaml.safe_dump writes an anchor for a value used twice: such files stay readable."""
    groups = demo_copy / "groups.yaml"
    text = groups.read_text("utf-8").replace("tags: [tea, shanghai]", "tags: &tea [tea, shanghai]")
    write(groups, text.replace("tags: [group-buy, minhang]", "tags: *tea"))
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert result.exit_code == 0, result.output


def test_990_nested_lists_are_refused_at_the_first_too_deep_line(runner, demo_copy) -> None:
    text = "groups:\n" + "".join("  " * n + "-\n" for n in range(990))
    write(demo_copy / "groups.yaml", text)
    stderr = _check(runner, demo_copy)
    assert f"groups.yaml:{limits.MAX_DEPTH + 1}: nested more than {limits.MAX_DEPTH}" in stderr
    assert "Traceback" not in stderr


def test_deep_flow_nesting_is_refused(runner, demo_copy) -> None:
    write(demo_copy / "planner.yaml", "name: x\nvars: " + "[" * 5000 + "]" * 5000 + "\n")
    assert f"{demo_copy / 'planner.yaml'}:2:" in _check(runner, demo_copy)


def test_a_file_over_the_size_limit_is_refused_unread(runner, demo_copy) -> None:
    groups = demo_copy / "groups.yaml"
    write(groups, groups.read_text("utf-8") + "#" * limits.MAX_YAML_BYTES + "\n")
    assert f"{groups}:1: file is " in _check(runner, demo_copy)


def test_an_item_file_over_its_limit_is_refused(runner, demo_copy) -> None:
    item = write(
        demo_copy / "content_library" / "intro" / "big.md",
        "---\nid: big\nkind: intro\ntitle: big\n---\n" + "字" * limits.MAX_ITEM_BYTES,
    )
    assert f"{item}:1: file is " in _check(runner, demo_copy)


def test_no_built_in_file_comes_near_the_nesting_limit() -> None:
    from planner.workspace.resources import builtin_rules

    for path in builtin_rules().rglob("*.yaml"):
        assert limits.yaml_refusal(path.read_text("utf-8"), limits.yaml.SafeLoader) is None
