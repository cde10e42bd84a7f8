"""What a workspace file may hold: bounded size, nesting and no YAML aliases.

A workspace may come from a colleague; a 1 KB file of nested aliases ("billion
laughs") or thousands of nested lists must be refused at its line before it takes
the machine's memory or Python's recursion, not after.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from planner.errors import Findings

MAX_YAML_BYTES = 16 * 1024 * 1024  # groups.yaml of 10,000 groups is about 3 MB
MAX_ITEM_BYTES = 1024 * 1024  # an item file (front matter and body), a template
MAX_DEPTH = 20  # the deepest built-in file nests 6 levels

_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def too_big(path: Path, limit: int, findings: Findings) -> bool:
    """Whether the file is over `limit` bytes (recorded as a finding); read no byte of it."""
    size = path.stat().st_size
    if size <= limit:
        return False
    findings.add(
        path,
        1,
        f"file is {size:,} bytes, over the limit of {limit:,}",
        "split it, or remove what the planner does not need",
    )
    return True


def yaml_refusal(text: str, loader: type) -> tuple[int, str, str] | None:
    """(line, what is wrong, what is expected) of the first alias, anchor or nesting
    beyond MAX_DEPTH, from the parser's event stream (constant memory); None when fine.
    A syntax error raises yaml.MarkedYAMLError as the loader would."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return (
                line,
                "YAML anchors and aliases (&name, *name) are not supported",
                "write the value out in full where it is used",
            )
        if isinstance(event, _OPENS):
            depth += 1
            if depth > MAX_DEPTH:
                return (
                    line,
                    f"nested more than {MAX_DEPTH} levels deep",
                    "a flatter structure (see the README's key reference)",
                )
        elif isinstance(event, _CLOSES):
            depth -= 1
    return None
