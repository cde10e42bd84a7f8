"""Hypothesis: whatever a user writes, loading returns models or our own findings, never a crash."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import Findings
from planner.workspace.check import check_workspace
from planner.workspace.library import load_item
from planner.workspace.load import Workspace
from planner.workspace.resources import demo_workspace

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 3000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    st.sampled_from(["retention", "quiz", "fan", "07:30", "25:99", "Asia/Shanghai", "a-b"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(data, here=()):
    yield here
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*here, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*here, index))


@st.composite
def mutated(draw, data):
    """The data with one value replaced, one key dropped or one stray key added."""
    paths = list(_paths(data))
    target = draw(st.sampled_from(paths))
    action = draw(st.sampled_from(["replace", "drop", "add"]))
    if not target:
        return draw(values) if action == "replace" else data
    parent = data
    for part in target[:-1]:
        parent = parent[part]
    last = target[-1]
    if action == "replace":
        parent[last] = draw(values)
    elif action == "drop":
        if isinstance(parent, dict):
            del parent[last]
        else:
            parent.pop(last)
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=8))] = draw(values)
    return data


def _check_copy(edit) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        shutil.copytree(demo_workspace(), ws)
        edit(ws)
        workspace, findings = check_workspace(ws)
        assert isinstance(findings, Findings)
        assert workspace is None or isinstance(workspace, Workspace)
        for problem in findings.items:
            assert problem.path and problem.message


FILES = ["groups.yaml", "planner.yaml", "campaigns.yaml"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FILES), st.data())
def test_mutated_yaml_gives_models_or_problems(name: str, data) -> None:
    source = yaml.safe_load((demo_workspace() / name).read_text(encoding="utf-8"))
    changed = data.draw(mutated(source))
    text = yaml.safe_dump(changed, allow_unicode=True, default_flow_style=False)
    _check_copy(lambda ws: (ws / name).write_text(text, encoding="utf-8"))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(FILES), st.text(max_size=40), st.integers(0, 4000))
def test_garbled_yaml_text_gives_problems(name: str, noise: str, position: int) -> None:
    original = (demo_workspace() / name).read_text(encoding="utf-8")
    position %= len(original) + 1
    _check_copy(
        lambda ws: (ws / name).write_text(
            original[:position] + noise + original[position:], "utf-8"
        )
    )


ITEM = """---
id: prop-item
kind: quiz
title: 小测验
stages: [activation]
question: 哪种茶是半发酵茶？
options: [乌龙茶, 绿茶]
answer: 乌龙茶
points: 3
---
{{ group.name }}：{{ item.question }}
"""


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_mutated_front_matter_gives_item_or_problems(data) -> None:
    front = yaml.safe_load(ITEM.split("---\n")[1])
    changed = data.draw(mutated(front))
    text = "---\n" + yaml.safe_dump(changed, allow_unicode=True) + "---\n正文 {{ group.name }}\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "prop-item.md"
        path.write_text(text, encoding="utf-8")
        findings = Findings()
        item = load_item(path, findings)
        assert item is not None or findings.errors
        assert all(p.path == str(path) for p in findings.items)
