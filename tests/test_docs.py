"""The README stays true: every key in the reference, the tutorial's steps work, CI runs its
test command."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path

from pydantic import BaseModel, TypeAdapter

from planner.cli import main
from planner.models.items import ITEM_MODELS
from planner.workspace.scaffold import SCHEMAS

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _keys() -> set[str]:
    seen: set[type] = set()
    keys: set[str] = set()

    def walk(tp) -> None:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            walk(typing.get_args(tp)[0])
        elif origin in (typing.Union, types.UnionType, list, tuple, dict, set, frozenset):
            for arg in typing.get_args(tp):
                walk(arg)
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and tp not in seen:
            seen.add(tp)
            for name, info in tp.model_fields.items():
                if name not in ("body", "source", "body_line"):
                    keys.add(info.alias or name)
                    walk(info.annotation)

    for model in SCHEMAS.values():
        if isinstance(model, TypeAdapter):
            for item_model in ITEM_MODELS.values():
                walk(item_model)
        else:
            walk(model)
    return keys


def test_reference_lists_every_key() -> None:
    reference = README[README.index("## Reference") :]
    documented = set(re.findall(r"`([a-z_]+)`", reference))
    missing = sorted(_keys() - documented)
    assert not missing, f"README reference lacks: {missing}"


def test_quick_start_and_ci_use_the_same_test_command() -> None:
    command = 'pip install ".[test]" && python -m pytest'
    assert "```bash\npip install . && planner plan\n```" in README
    assert f"```bash\n{command}\n```" in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == command


def test_tutorial_steps(tmp_path: Path, runner, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    demo = runner.invoke(main, ["plan"])  # step 1: the demo week into ./outputs
    assert demo.exit_code == 0, demo.output
    assert (tmp_path / "outputs" / "2026-W48" / "calendar.ics").is_file()
    assert (tmp_path / "outputs" / "2026-W48" / "index.html").is_file()

    made = runner.invoke(main, ["init", "my-community", "--from", "blank"])  # step 4
    assert made.exit_code == 0, made.output
    assert runner.invoke(main, ["check", "my-community"]).exit_code == 0
    added = runner.invoke(main, ["add-item", "quiz", "my-community", "--id", "quiz-tea-origins"])
    assert added.exit_code == 0, added.output  # step 5
    item = tmp_path / "my-community" / "content_library" / "quiz" / "quiz-tea-origins.md"
    draft = item.read_text("utf-8")
    assert runner.invoke(main, ["check", "my-community"]).exit_code == 1  # the placeholder
    written = draft.replace("title: 新内容标题", "title: 茶的起源").replace(
        "这里写要发到群里的文字", "你知道茶最早是怎么被发现的吗"
    )
    item.write_text(written.replace("status: draft", "status: ready"), "utf-8")
    assert runner.invoke(main, ["check", "my-community"]).exit_code == 0
    again = runner.invoke(main, ["add-item", "quiz", "my-community", "--id", "quiz-tea-origins"])
    assert again.exit_code == 64 and "exists already" in again.output

    first = runner.invoke(main, ["plan", "my-community", "--week", "2026-11-23"])  # step 6
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, ["plan", "my-community", "--week", "2026-11-30"])
    assert second.exit_code == 0, second.output
    outputs = tmp_path / "my-community" / "outputs"
    assert (outputs / "2026-W48" / "plan.json").is_file()
    assert (outputs / "2026-W49" / "calendar.ics").is_file()
    kept = runner.invoke(main, ["init", "my-community"])
    assert "kept existing" in kept.stderr  # init never overwrites


def test_schemas_are_written(tmp_path: Path, runner) -> None:
    result = runner.invoke(main, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {"planner.schema.json", "groups.schema.json", "item.schema.json"} <= names
    assert '"use_builtin_library"' in (tmp_path / "planner.schema.json").read_text("utf-8")
