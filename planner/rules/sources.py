"""Where each setting a rule reads was written, as `file:line` for a user.

Every file's line map is recorded when it is loaded (YamlDoc.lines, and for merged
rule packs MergedDoc.origins, which already know whether the built-in pack or the
workspace's override set a key), so a citation is a look-up, never a second parse.
Built-in files are named by their repository path, the user's own by theirs.
"""

from __future__ import annotations

from pathlib import Path

from planner.workspace.load import CAMPAIGNS_FILE, GROUPS_FILE, SETTINGS_FILE, Workspace
from planner.workspace.resources import builtin_root


def display(file, line: int) -> str:
    path = Path(file)
    try:
        return f"built-in {path.relative_to(builtin_root())}:{line}"
    except ValueError:
        return f"{path}:{line}"


def _has(data, path: tuple) -> bool:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def _index(doc, key: str, wanted: str) -> int | None:
    """Position of the entry with id `wanted` in the file's list under `key`."""
    if doc is None or not isinstance(doc.data, dict):
        return None
    for index, entry in enumerate(doc.data.get(key) or []):
        if isinstance(entry, dict) and entry.get("id") == wanted:
            return index
    return None


class Sources:
    """Answers "which file and line set this?" for every setting a rule reads."""

    def __init__(self, ws: Workspace):
        self.ws = ws

    def caps(self, group_id: str | None, stage: str | None, path: tuple) -> str:
        """The most specific layer that set a caps key, in resolve_caps's order:
        the group's own caps, then stages.<stage>, group_types.<type>, defaults."""
        doc = self.ws.docs.get(GROUPS_FILE)
        index = _index(doc, "groups", group_id) if group_id else None
        if index is not None:
            caps = doc.data["groups"][index].get("caps") or {}
            if _has(caps, path):
                return display(doc.path, doc.line(("groups", index, "caps", *path)))
        pack = self.ws.rule_docs.get("caps")
        if pack is None:
            return "rules/caps.yaml"
        layers = [("stages", stage)] if stage else []
        if group_id is not None:
            layers.append(("group_types", str(self.ws.group(group_id).type)))
        layers.append(("defaults",))
        for layer in layers:
            if _has(pack.data, (*layer, *path)):
                return display(*pack.where((*layer, *path)))
        return display(*pack.where(("defaults",)))

    def operator(self, operator: str, key: str) -> str:
        """An operator's own setting in planner.yaml, else the rule pack's default."""
        doc = self.ws.docs.get(SETTINGS_FILE)
        if doc is not None and _has(doc.data, ("operators", operator, key)):
            own = self.ws.settings.operators.get(operator)
            if own is not None and getattr(own, key, None):
                return display(doc.path, doc.line(("operators", operator, key)))
        return self.pack("caps", ("operator", key))

    def pack(self, name: str, path: tuple) -> str:
        """A key of a merged rule pack (built-in or the workspace's override)."""
        doc = self.ws.rule_docs.get(name)
        if doc is None:
            return f"rules/{name}.yaml"
        return display(*doc.where(path))

    def setting(self, key: str) -> str:
        """A key of planner.yaml, or where its default is documented."""
        doc = self.ws.docs.get(SETTINGS_FILE)
        if doc is not None and _has(doc.data, (key,)):
            return display(doc.path, doc.line((key,)))
        return f"{SETTINGS_FILE} {key} (default)"

    def item(self, item_id: str, key: str | None = None) -> str:
        """An item's file, at the line of `key` in its front matter when it has one."""
        item = self.ws.items.get(item_id)
        if item is None:
            return f"item {item_id}"
        doc = self.ws.library.docs.get(item_id)
        line = doc.line((key,)) if doc is not None and key else 1
        return display(item.source, line)

    def campaign(self, campaign_id: str, *path) -> str:
        doc = self.ws.docs.get(CAMPAIGNS_FILE)
        index = _index(doc, "campaigns", campaign_id)
        if index is None:
            return CAMPAIGNS_FILE
        return display(doc.path, doc.line(("campaigns", index, *path)))

    def group(self, group_id: str, *path) -> str:
        doc = self.ws.docs.get(GROUPS_FILE)
        index = _index(doc, "groups", group_id)
        if index is None:
            return GROUPS_FILE
        return display(doc.path, doc.line(("groups", index, *path)))
