"""A workspace's own templates/ (group.md.j2, operator.md.j2, index.html.j2), checked the way
`plan` renders them: parsed by the writers' environment, every name they use in scope, and
rendered once with a sample week through the writers themselves."""

from __future__ import annotations

import re
import traceback
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.defaults import DEFAULT_NAMESPACE

from planner.errors import Findings
from planner.workspace.limits import MAX_ITEM_BYTES
from planner.workspace.load import Workspace
from planner.workspace.yamlio import read_text

_COMMON = {"plan", "t", "week_end", "fence", "image_path", "group_names", "stage_name"}
_COMMON |= {"kind_name", "operator_name", "posts", "days", "campaign_name"}
# What each template is given (planner/writers/scripts.py and html.py).
TEMPLATE_NAMES: dict[str, frozenset[str]] = {
    "group.md.j2": frozenset(_COMMON | {"group"}),
    "operator.md.j2": frozenset(
        _COMMON | {"operator", "follow_ups", "load", "daily_limit", "hours"}
    ),
    "index.html.j2": frozenset(
        {"lang", "title", "copied_label", "copy_label", "sections", "pages", "posts_label"}
        | {"timeline", "grids", "up"}
    ),
}
_EXPECTED = "valid Jinja2 using only the names the built-in template of that name uses"


def check_layouts(ws: Workspace, findings: Findings) -> None:
    """Each of the workspace's templates: syntax and names, then one sample rendering."""
    from planner.writers.scripts import environment

    folder = ws.root / "templates"
    env = environment(ws.root)
    parsed = True
    for name, known in TEMPLATE_NAMES.items():
        path = folder / name
        if path.is_file():
            parsed &= _check_source(env, path, known, findings)
    if parsed and folder.is_dir() and ws.groups:
        _render_sample(ws, folder, findings)


def _check_source(env, path: Path, known: frozenset[str], findings: Findings) -> bool:
    """Syntax, Jinja globals and names out of scope; whether the template parsed."""
    text = read_text(path, findings, MAX_ITEM_BYTES)
    if text is None:
        return False
    try:
        tree = env.parse(text, path.name, str(path))
        env.compile(tree, path.name, str(path))  # unknown filters and tests
    except jinja2.TemplateSyntaxError as exc:
        findings.add(path, exc.lineno or 1, f"template syntax error: {exc.message}", _EXPECTED)
        return False
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    loaded = sorted(
        (n.lineno, n.name) for n in tree.find_all(nodes.Name) if n.ctx == "load"
    )  # fmt: skip
    reported: set[str] = set()
    for line, name in loaded:
        if name in known or name in assigned or name == "loop" or name in reported:
            continue
        reported.add(name)
        what = "is not available" if name in DEFAULT_NAMESPACE else "is undefined here"
        findings.add(path, line, f"'{name}' {what}", f"one of: {', '.join(sorted(known))}")
    return not reported


def _render_sample(ws: Workspace, folder: Path, findings: Findings) -> None:
    """Render the week of one group and its operator as `plan` would; an error is the
    template's, at the line the traceback shows inside it."""
    from planner.workspace.sample_week import render_sample_week

    try:
        render_sample_week(ws)
    except Exception as exc:
        where = _template_frame(exc, folder)
        if where is None:
            raise
        message = re.sub(r" at 0x[0-9a-f]+", "", f"{type(exc).__name__}: {exc}")
        findings.add(where[0], where[1], f"template error: {message}", _EXPECTED)


def _template_frame(exc: BaseException, folder: Path) -> tuple[Path, int] | None:
    """(template file, line) of the innermost traceback frame inside `folder`."""
    found = None
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        found = (Path(exc.filename), exc.lineno or 1)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and Path(frame.filename).parent == folder and frame.lineno:
            found = (Path(frame.filename), frame.lineno)
    return found
