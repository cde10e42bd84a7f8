"""YAML in, with the line of every key kept, so every error can name its line.

PyYAML's composer already knows where each node starts; we keep that map next to
the plain data instead of losing it in construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planner.errors import Findings
from planner.workspace.limits import MAX_YAML_BYTES, too_big, yaml_refusal

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader without YAML 1.1's base-60 integers, so `19:30` stays a time, not 1170."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:int"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0[0-7_]+
        |[-+]?(?:0|[1-9][0-9_]*)
        |[-+]?0x[0-9a-fA-F_]+)$""",
        re.X,
    ),
    list("-+0123456789"),
)


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A date-shaped scalar that is not on the calendar (2026-11-31) stays text, so
    validation reports it at its line instead of the YAML constructor raising."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

Path_ = tuple[str | int, ...]


@dataclass
class YamlDoc:
    """Plain data of one YAML document plus the 1-based line of every key path."""

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    line_offset: int = 0

    def line(self, loc: Path_ = ()) -> int:
        """Line of the deepest part of `loc` that exists in the document."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1) + self.line_offset

    def where(self, loc: Path_ = ()) -> tuple[Path, int]:
        """(file, line) of `loc`; merged documents answer from the file that set it."""
        return self.path, self.line(loc)


@dataclass
class MergedDoc(YamlDoc):
    """Built-in data deep-merged with a workspace override, remembering who set what."""

    origins: dict[Path_, tuple[Path, int]] = field(default_factory=dict)

    def where(self, loc: Path_ = ()) -> tuple[Path, int]:
        loc = tuple(loc)
        while loc and loc not in self.origins:
            loc = loc[:-1]
        return self.origins.get(loc, (self.path, 1))


def merge_docs(base: YamlDoc, override: YamlDoc | None) -> MergedDoc:
    """Deep-merge: mappings merge key by key, lists and scalars replace."""
    origins = {loc: (base.path, base.line(loc)) for loc in base.lines}
    if override is None or override.data is None:
        return MergedDoc(base.path, base.data, base.lines, base.line_offset, origins)

    def merge(left: Any, right: Any, here: Path_) -> Any:
        if isinstance(left, dict) and isinstance(right, dict):
            out = dict(left)
            for key, value in right.items():
                out[key] = merge(left.get(key), value, (*here, key))
            return out
        for loc in [loc for loc in origins if loc[: len(here)] == here and len(loc) > len(here)]:
            del origins[loc]
        for loc in override.lines:
            if loc[: len(here)] == here:
                origins[loc] = (override.path, override.line(loc))
        return right

    data = merge(base.data, override.data, ())
    for loc in override.lines:
        origins.setdefault(loc, (override.path, override.line(loc)))
    return MergedDoc(base.path, data, base.lines, base.line_offset, origins)


def _walk(node: yaml.Node, here: Path_, lines: dict[Path_, int], dup: list[tuple[str, int]]):
    lines.setdefault(here, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            if key in seen:
                dup.append((key, key_node.start_mark.line + 1))
            seen.add(key)
            lines[(*here, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*here, key), lines, dup)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*here, index)] = item.start_mark.line + 1
            _walk(item, (*here, index), lines, dup)


def parse_yaml(text: str, path: Path, findings: Findings, line_offset: int = 0) -> YamlDoc | None:
    """Parse one YAML document; on a syntax error record it and return None."""
    try:
        refused = yaml_refusal(text, _BaseLoader)
        if refused is not None:
            line, what, expected = refused
            findings.add(path, line + line_offset, what, expected)
            return None
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        what = exc.problem or exc.context or "invalid YAML"
        findings.add(
            path,
            line,
            f"YAML syntax error: {what}",
            "valid YAML (check indentation, quotes and colons)",
        )
        return None
    except yaml.YAMLError as exc:
        findings.add(path, 1 + line_offset, f"YAML error: {exc}", "valid YAML")
        return None
    lines: dict[Path_, int] = {}
    duplicates: list[tuple[str, int]] = []
    if node is not None:
        _walk(node, (), lines, duplicates)
    for key, line in duplicates:
        findings.add(
            path, line + line_offset, f"duplicate key '{key}'", "each key once per mapping", key
        )
    return YamlDoc(path, data, lines, line_offset)


def read_text(path: Path, findings: Findings, limit: int = MAX_YAML_BYTES) -> str | None:
    """A user's file as text; unreadable, non-UTF-8 or larger than `limit` bytes: a
    finding, not an exception (nor the memory a huge file would take)."""
    try:
        if too_big(path, limit, findings):
            return None
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        findings.add(path, 1, "file is not valid UTF-8", "save the file as UTF-8")
    except OSError as exc:
        findings.add(path, 0, f"cannot read file: {exc.strerror}", "a readable file")
    return None


def read_yaml(path: Path, findings: Findings) -> YamlDoc | None:
    """Read and parse a YAML file."""
    text = read_text(path, findings)
    return None if text is None else parse_yaml(text, path, findings)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split `---` front matter from a Markdown body: (yaml, body, body's first line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return None
