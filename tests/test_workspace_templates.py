"""A workspace's own templates/ are checked the way `plan` renders them (issue 22, item 2):
syntax, names in scope, one sample rendering; `plan` refuses them with file:line, never
crashes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner.cli import main
from planner.workspace.check_layouts import TEMPLATE_NAMES
from planner.writers.scripts import TEMPLATE_DIR
from tests.conftest import write

BROKEN = {
    ("group.md.j2", "{% for day in days %}\n{{ day.label }\n"): (2, "template syntax error"),
    ("group.md.j2", "{{ group.name }}\n{{ item.title }}\n"): (2, "'item' is undefined here"),
    ("operator.md.j2", "x\n\n{{ lipsum }}\n"): (3, "'lipsum' is not available"),
    ("operator.md.j2", "{{ posts[5].title }}\n"): (1, "template error: UndefinedError"),
    ("index.html.j2", "<p>\n{{ sections.nothing.here }}\n"): (2, "template error"),
    ("group.md.j2", "{{ plan.week_start + 1 }}\n"): (1, "template error: TypeError"),
    ("group.md.j2", "x\n{{ 'x' * 999999999 }}\n"): (2, "template error: SecurityError: repeats"),
    ("operator.md.j2", "{{ plan.week | center(999999999) }}\n"): (
        1,
        "template syntax error: No filter",
    ),
    ("group.md.j2", "{% for i in range(99999) %}x{% endfor %}\n"): (1, "'range' is not available"),
}


def _with_template(root: Path, name: str, text: str) -> Path:
    return write(root / "templates" / name, text)


@pytest.mark.parametrize(("name", "text"), sorted(BROKEN))
def test_check_names_the_template_line(runner, demo_copy, name, text) -> None:
    path = _with_template(demo_copy, name, text)
    line, message = BROKEN[(name, text)]
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert result.exit_code == 1, result.output
    assert f"{path}:{line}: {message}" in result.stderr


@pytest.mark.parametrize(("name", "text"), sorted(BROKEN)[:3])
def test_plan_refuses_them_before_writing(runner, demo_copy, tmp_path, name, text) -> None:
    _with_template(demo_copy, name, text)
    out = tmp_path / "out"
    result = runner.invoke(main, ["plan", str(demo_copy), "--week", "2026-11-23", "--out", out])
    assert result.exit_code == 1, result.output
    assert not out.exists()


def test_copies_of_the_built_in_templates_pass(runner, demo_copy) -> None:
    shutil.copytree(TEMPLATE_DIR, demo_copy / "templates")
    result = runner.invoke(main, ["check", str(demo_copy)])
    assert result.exit_code == 0, result.output


def test_the_names_in_scope_cover_the_built_in_templates() -> None:
    """The list check uses is the writers' own: every name a built-in template uses."""
    from jinja2 import meta

    from planner.writers.scripts import environment

    env = environment(None)
    for name, known in TEMPLATE_NAMES.items():
        used = meta.find_undeclared_variables(env.parse((TEMPLATE_DIR / name).read_text("utf-8")))
        assert used <= known, name
