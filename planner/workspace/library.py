"""The content library: Markdown items with YAML front matter, built-in plus the workspace's."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter

from planner.errors import Findings
from planner.models.items import Item, ItemBase
from planner.workspace.images import find_image
from planner.workspace.limits import MAX_ITEM_BYTES
from planner.workspace.validation import validate
from planner.workspace.yamlio import YamlDoc, parse_yaml, read_text, split_front_matter

ITEM_ADAPTER: TypeAdapter = TypeAdapter(Item)
_LOADER_FIELDS = ("body", "source", "body_line")


@dataclass(frozen=True)
class Library:
    """Items by id; `overridden` names built-in items the workspace replaced."""

    items: dict[str, ItemBase]
    overridden: dict[str, tuple[str, str]]  # id -> (workspace file, built-in file)
    docs: dict[str, YamlDoc]  # id -> its front matter, for line numbers in later checks
    broken: frozenset[str] = frozenset()  # ids of item files that exist but did not validate


def load_item(
    path: Path, findings: Findings, docs: dict[str, YamlDoc] | None = None
) -> ItemBase | None:
    """One item file; every problem recorded with its line."""
    text = read_text(path, findings, MAX_ITEM_BYTES)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None:
        findings.add(
            path,
            1,
            "no YAML front matter",
            "start the file with a '---' line, the item's fields, and another '---' line",
        )
        return None
    front, body, body_line = parts
    doc = parse_yaml(front, path, findings, line_offset=1)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        findings.add(path, 2, "front matter is not a mapping of keys", "'key: value' lines")
        return None
    for reserved in _LOADER_FIELDS:
        if reserved in doc.data:
            findings.add(
                path,
                doc.line((reserved,)),
                f"'{reserved}' is reserved",
                "write the text below the front matter, not as a key",
                reserved,
            )
    data = {k: v for k, v in doc.data.items() if k not in _LOADER_FIELDS}
    data.update(body=body.strip("\n"), source=str(path), body_line=body_line)
    item = validate(ITEM_ADAPTER, YamlDoc(path, data, doc.lines, doc.line_offset), findings)
    if item is None:
        if docs is not None and isinstance(doc.data.get("id"), str):
            docs.setdefault(f"broken:{doc.data['id']}", doc)
        return None
    if docs is not None:
        docs[str(path)] = doc
    _check_text_and_name(item, path, doc, findings)
    return item


def _check_text_and_name(item: ItemBase, path: Path, doc: YamlDoc, findings: Findings) -> None:
    """An item needs words to post, and a file named by its id."""
    if not item.body.strip():
        findings.add(path, item.body_line, "the item has no text", "the post's text below '---'")
    if item.id != path.stem:
        findings.add(
            path,
            doc.line(("id",)),
            f"id '{item.id}' differs from the file name '{path.stem}'",
            f"name the file {item.id}.md (ids must be findable by file name)",
            "id",
        )


def image_file(item: ItemBase) -> Path | None:
    """The item's image file; None when it has none or it is not a library image."""
    return find_image(item)[0] if item.image else None


def load_folder(
    folder: Path, findings: Findings, docs: dict[str, YamlDoc] | None = None
) -> dict[str, ItemBase]:
    """Every *.md item below `folder`, in sorted order; duplicate ids are findings."""
    items: dict[str, ItemBase] = {}
    for path in sorted(folder.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        item = load_item(path, findings, docs)
        if item is None:
            continue
        if item.id in items:
            findings.add(
                path,
                2,
                f"duplicate item id '{item.id}' (also in {items[item.id].source})",
                "give every item its own id",
                "id",
            )
            continue
        items[item.id] = item
    return items


def load_library(builtin: Path, workspace: Path | None, findings: Findings) -> Library:
    """Built-in items, then the workspace's; the workspace wins on the same id."""
    by_path: dict[str, YamlDoc] = {}
    items = load_folder(builtin, findings, by_path) if builtin.is_dir() else {}
    overridden: dict[str, tuple[str, str]] = {}
    if workspace is not None and workspace.is_dir():
        for item_id, item in load_folder(workspace, findings, by_path).items():
            if item_id in items:
                overridden[item_id] = (item.source, items[item_id].source)
            items[item_id] = item
    docs = {item_id: by_path[item.source] for item_id, item in items.items()}
    broken = frozenset(k.removeprefix("broken:") for k in by_path if k.startswith("broken:"))
    return Library(dict(sorted(items.items())), overridden, docs, broken)
