"""Templates `check` cannot render for a group: items no group receives this time (checked
for syntax and statements anyway), and the workspace's own templates/."""

from __future__ import annotations

import jinja2

from planner.errors import Findings
from planner.workspace.load import Workspace
from planner.workspace.sandbox import refused_syntax
from planner.workspace.templates import compile_body


def check_unrendered_items(ws: Workspace, rendered: set[str], findings: Findings) -> None:
    """Syntax and refused statements of every item `check` did not render for a group: a
    campaign or a later stage may send it next week."""
    for item in ws.items.values():
        if item.id in rendered:
            continue
        try:
            compile_body(item.body)
            refused = refused_syntax(item.body)
        except jinja2.TemplateSyntaxError as exc:
            line, message = exc.lineno or 1, f"template syntax error: {exc.message}"
        else:
            if refused is None:
                continue
            line, message = refused[1], f"{refused[0]} is not available in item text"
        findings.add(
            item.source,
            item.body_line + line - 1,
            message,
            "plain text with {{ names }}, {% if %} and {% for %} (see the README)",
            "body",
        )
