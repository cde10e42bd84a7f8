"""What a workspace file may hold: bounded size, nesting and alias expansion.

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
MAX_EXPANDED_VALUES = 200_000  # values of a document with its aliases expanded
_FLATTER = "a flatter structure (see the README's key reference)"

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
    """(line, what is wrong, what is expected) of the first alias that refers to itself or
    expands the document past MAX_EXPANDED_VALUES, or of nesting beyond MAX_DEPTH, from
    the parser's event stream (constant memory); None when fine. A syntax error raises
    yaml.MarkedYAMLError as the loader would."""
    shape = _Shape()
    for event in yaml.parse(text, Loader=loader):
        problem = shape.add(event)
        if problem is not None:
            return (event.start_mark.line + 1, *problem)
    return None


class _Shape:
    """A document's depth and size as it would be built, aliases expanded, event by event."""

    def __init__(self) -> None:
        self.open: list[list] = []  # per open collection: [anchor, values, depth below]
        self.anchors: dict[str, tuple[int, int]] = {}  # anchor -> (values, depth below)
        self.values = 0

    def add(self, event: yaml.Event) -> tuple[str, str] | None:
        if isinstance(event, _OPENS):
            self.open.append([event.anchor, 1, 0])
            if len(self.open) > MAX_DEPTH:
                return f"nested more than {MAX_DEPTH} levels deep", _FLATTER
            return None
        if isinstance(event, _CLOSES):
            anchor, values, below = self.open.pop()
            return self._grew(anchor, values, below + 1)
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                return f"alias *{event.anchor} refers to itself or to no anchor before it", (
                    "an alias of a value written above it (&name), or the value in full"
                )
            return self._grew(None, *self.anchors[event.anchor])
        if isinstance(event, yaml.ScalarEvent):
            return self._grew(event.anchor, 1, 0)
        return None

    def _grew(self, anchor: str | None, values: int, depth: int) -> tuple[str, str] | None:
        """A value of `values` values nested `depth` deep was added where the parser is."""
        if anchor:
            self.anchors[anchor] = (values, depth)
        self.values += values
        if self.values > MAX_EXPANDED_VALUES:
            return f"aliases expand to more than {MAX_EXPANDED_VALUES:,} values", (
                "write the values out, or use fewer aliases (&name, *name)"
            )
        if len(self.open) + depth > MAX_DEPTH:
            return f"nested more than {MAX_DEPTH} levels deep (aliases expanded)", _FLATTER
        if self.open:
            self.open[-1][1] += values
            self.open[-1][2] = max(self.open[-1][2], depth)
        return None
