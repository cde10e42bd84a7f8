"""The pipeline's layout: writers read a finished week (the plan) and nothing upstream of it."""

from __future__ import annotations

import ast
from pathlib import Path

PLANNER = Path(__file__).resolve().parents[1] / "planner"

# What a writer may read of the planner: the finished week, the workspace's settings, group
# names, labels and images, and the other writers. Never the solver, the rules, the
# campaigns, the rule packs, the run or the verifier.
WRITERS_MAY_IMPORT = (
    "planner.plan",
    "planner.models",
    "planner.workspace.load",
    "planner.workspace.templates",
    "planner.workspace.sandbox",
    "planner.workspace.library",
    "planner.writers",
)


def _is_module(name: str) -> bool:
    path = PLANNER.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported(source: str, module: str) -> list[str]:
    """The modules the imports in `source` (the text of module `module`) reach, relative
    imports resolved: `from a import b` reaches a.b when that is a module, else a."""
    package = module.split(".")[:-1]
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            root = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                below = f"{root}.{alias.name}"
                names.append(below if _is_module(below) else root)
    return names


def forbidden(source: str, module: str) -> list[str]:
    """The planner modules `source` imports that a writer may not."""

    def allowed(name: str) -> bool:
        return any(name == ok or name.startswith(ok + ".") for ok in WRITERS_MAY_IMPORT)

    return sorted(
        {
            name
            for name in imported(source, module)
            if (name == "planner" or name.startswith("planner.")) and not allowed(name)
        }
    )


def test_writers_import_nothing_upstream_of_the_plan() -> None:
    found = {}
    for path in sorted((PLANNER / "writers").rglob("*.py")):
        module = ".".join(path.relative_to(PLANNER.parent).with_suffix("").parts)
        bad = forbidden(path.read_text("utf-8"), module)
        if bad:
            found[str(path.relative_to(PLANNER))] = bad
    assert not found, f"writers read only the finished week: {found}"


def test_the_fence_catches_each_form_of_import() -> None:
    module = "planner.writers.report"
    assert forbidden("from planner.solver.problem import holiday_warnings", module) == [
        "planner.solver.problem"
    ]
    assert forbidden("import planner.campaigns.playbook as book", module) == [
        "planner.campaigns.playbook"
    ]
    assert forbidden("from planner import run", module) == ["planner.run"]
    assert forbidden("from ..workspace import rulepacks", module) == ["planner.workspace.rulepacks"]
    assert forbidden("def f():\n    from planner.verify import checker\n", module) == [
        "planner.verify.checker"
    ]
    assert forbidden("from . import publish\nfrom .. import rules", module) == ["planner.rules"]
    allowed = (
        "from planner.plan import Plan\nfrom .html import render_index\n"
        "from planner.workspace import load\nimport jinja2\n"
    )
    assert forbidden(allowed, module) == []


MAX_FUNCTION_LINES = 50
MAX_MODULE_LINES = 400


def too_long(source: str) -> list[str]:
    """Functions (and methods) of `source` longer than MAX_FUNCTION_LINES, as name:lines."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                out.append(f"{node.name}:{length}")
    return out


def test_functions_and_modules_stay_short() -> None:
    """One idea per function and per module: long ones are where rules hide in copies."""
    found = {}
    for path in sorted(PLANNER.rglob("*.py")):
        text = path.read_text("utf-8")
        problems = too_long(text)
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            problems.append(f"module:{lines}")
        if problems:
            found[str(path.relative_to(PLANNER))] = problems
    assert not found, found


def test_the_length_limits_catch_a_long_function() -> None:
    body = "\n".join(f"    x{n} = {n}" for n in range(MAX_FUNCTION_LINES))
    assert too_long(f"def long():\n{body}\n") == [f"long:{MAX_FUNCTION_LINES + 1}"]
    assert too_long("class C:\n    def ok(self):\n        return 1\n") == []
