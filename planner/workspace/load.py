"""Load a whole workspace (files -> validated models), collecting every problem at once."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter

from planner.errors import Findings
from planner.learn.profile import with_learned
from planner.models.campaigns import Campaign
from planner.models.groups import Group
from planner.models.items import ItemBase
from planner.models.locks import Lock
from planner.models.rules import RulePacks
from planner.models.settings import Settings
from planner.workspace.library import Library, load_library
from planner.workspace.resources import builtin_library, builtin_rules
from planner.workspace.rulepacks import load_rules
from planner.workspace.validation import validate
from planner.workspace.yamlio import MergedDoc, YamlDoc, read_yaml

SETTINGS_FILE = "planner.yaml"
GROUPS_FILE = "groups.yaml"
CAMPAIGNS_FILE = "campaigns.yaml"
LOCKS_FILE = "locks.yaml"
_GROUP = TypeAdapter(Group)
_CAMPAIGN = TypeAdapter(Campaign)
_SETTINGS = TypeAdapter(Settings)
_LOCK = TypeAdapter(Lock)


@dataclass
class Workspace:
    """Everything a user wrote, validated; `docs` keep line numbers for later checks."""

    root: Path
    settings: Settings
    groups: list[Group]
    campaigns: list[Campaign]
    library: Library
    rules: RulePacks
    docs: dict[str, YamlDoc] = field(default_factory=dict)
    rule_docs: dict[str, MergedDoc] = field(default_factory=dict)
    locks: list[Lock] = field(default_factory=list)

    @property
    def items(self) -> dict[str, ItemBase]:
        return self.library.items

    def group(self, group_id: str) -> Group:
        """By id, through an index: writers and checks ask once per post, and a scan per
        ask made a week of 10,000 groups quadratic. Rebuilt when `groups` is replaced."""
        index = self.__dict__.get("_group_index")
        if index is None or index[0] is not self.groups or index[1] != len(self.groups):
            index = (self.groups, len(self.groups), {g.id: g for g in self.groups})
            self.__dict__["_group_index"] = index
        return index[2][group_id]

    def operators(self) -> dict[str, tuple[str, ...]]:
        """Each operator's group ids, operators and groups in sorted order: the week's
        independent problems, and the unit its files are written in."""
        by_operator: dict[str, list[str]] = {}
        for group in sorted(self.groups, key=lambda g: g.id):
            by_operator.setdefault(group.operator, []).append(group.id)
        return {op: tuple(ids) for op, ids in sorted(by_operator.items())}


def groups_doc_by_operator(ws: Workspace) -> dict[str, YamlDoc]:
    """groups.yaml cut per operator, each entry with its lines, so a worker can cite
    `groups.yaml:LINE` for its own groups without holding every group's entry."""
    doc = ws.docs.get(GROUPS_FILE)
    if doc is None or not isinstance(doc.data, dict):
        return {}
    owner = {g.id: g.operator for g in ws.groups}
    moved: dict[int, tuple[str, int]] = {}  # index in the file -> (operator, index in theirs)
    entries: dict[str, list] = {}
    for index, entry in enumerate(doc.data.get("groups") or []):
        operator = owner.get(entry.get("id")) if isinstance(entry, dict) else None
        if operator is not None:
            moved[index] = (operator, len(entries.setdefault(operator, [])))
            entries[operator].append(entry)
    lines: dict[str, dict] = {operator: {} for operator in entries}
    for loc, line in doc.lines.items():
        if len(loc) >= 2 and loc[0] == "groups" and loc[1] in moved:
            operator, index = moved[loc[1]]
            lines[operator][("groups", index, *loc[2:])] = line
    return {
        operator: YamlDoc(doc.path, {"groups": entries[operator]}, lines[operator], doc.line_offset)
        for operator in entries
    }


def _entries(doc: YamlDoc | None, key: str, findings: Findings, required: bool) -> list | None:
    """The list under the file's single top-level key, with stray keys reported."""
    if doc is None:
        return None
    if doc.data is None:
        if required:
            findings.add(doc.path, 1, "file is empty", f"a top-level '{key}:' list")
        return [] if not required else None
    if not isinstance(doc.data, dict):
        findings.add(doc.path, 1, "file is not a mapping", f"a top-level '{key}:' list")
        return None
    for stray in doc.data:
        if stray != key:
            close = difflib.get_close_matches(str(stray), [key], n=1)
            hint = f"did you mean '{key}'?" if close else f"the only top-level key is '{key}'"
            findings.add(doc.path, doc.line((stray,)), f"unknown key '{stray}'", hint, str(stray))
    entries = doc.data.get(key)
    if entries is None:
        if required:
            findings.add(doc.path, 1, f"missing key '{key}'", f"a top-level '{key}:' list")
        return [] if not required else None
    if not isinstance(entries, list):
        findings.add(
            doc.path, doc.line((key,)), f"'{key}' is not a list", f"'- ' entries under '{key}:'"
        )
        return None
    return entries


def _unique(models: list, doc: YamlDoc, key: str, what: str, findings: Findings) -> list:
    """Drop later duplicates of an id, reporting each against its line."""
    seen: dict[str, int] = {}
    kept = []
    for index, model in models:
        if model.id in seen:
            findings.add(
                doc.path,
                doc.line((key, index, "id")),
                f"duplicate {what} id '{model.id}' "
                f"(first on line {doc.line((key, seen[model.id], 'id'))})",
                f"give every {what} its own id",
                f"{key}.{index}.id",
            )
            continue
        seen[model.id] = index
        kept.append(model)
    return kept


def load_workspace(root: Path, findings: Findings) -> Workspace | None:
    """Read every file of the workspace; None when something essential is unusable."""
    if not root.is_dir():
        findings.add(
            root, 0, "workspace folder not found", "a folder holding planner.yaml and groups.yaml"
        )
        return None
    docs: dict[str, YamlDoc] = {}
    settings = _load_settings(root, findings, docs)
    groups = _load_list(root, GROUPS_FILE, "groups", _GROUP, findings, docs, "group")
    campaigns = _load_list(root, CAMPAIGNS_FILE, "campaigns", _CAMPAIGN, findings, docs, "campaign")
    locks = _load_list(root, LOCKS_FILE, "locks", _LOCK, findings, docs)
    use_builtin = settings.use_builtin_library if settings is not None else True
    builtin = builtin_library() if use_builtin else root / ".no-builtin-library"
    library = load_library(builtin, root / "content_library", findings)
    rule_docs: dict[str, MergedDoc] = {}
    rules = load_rules(builtin_rules(), root / "rules", findings, rule_docs)
    # Keep checking the rest even when settings or rule overrides are broken: the
    # user sees every problem in one run (those two are already reported).
    if rules is None:
        rule_docs = {}
        rules = load_rules(builtin_rules(), None, Findings(), rule_docs)
    if settings is None:
        settings = Settings(name=root.resolve().name or "workspace")
    if rules is None:  # the built-in packs themselves are broken: nothing more to check
        return None
    rules = with_learned(rules, root, groups, library.items, findings)
    return Workspace(root, settings, groups, campaigns, library, rules, docs, rule_docs, locks)


def _load_settings(root: Path, findings: Findings, docs: dict[str, YamlDoc]) -> Settings | None:
    path = root / SETTINGS_FILE
    if not path.is_file():
        findings.add(path, 0, "missing planner.yaml", "create it (planner init makes one)")
        return None
    doc = read_yaml(path, findings)
    if doc is None:
        return None
    docs[SETTINGS_FILE] = doc
    if not isinstance(doc.data, dict):
        findings.add(path, 1, "planner.yaml is not a mapping", "'key: value' lines")
        return None
    return validate(_SETTINGS, doc, findings)


def _load_list(
    root: Path,
    name: str,
    key: str,
    adapter: TypeAdapter,
    findings: Findings,
    docs: dict[str, YamlDoc],
    unique: str | None = None,
) -> list:
    """The entries of a file holding one list under `key`; groups.yaml must exist, the
    others may not. `unique`: what an entry is called when two share an id."""
    path = root / name
    if not path.is_file():
        if name == GROUPS_FILE:
            findings.add(path, 0, "missing groups.yaml", "a 'groups:' list (see README)")
        return []
    doc = read_yaml(path, findings)
    entries = _entries(doc, key, findings, required=name == GROUPS_FILE)
    if doc is None or entries is None:
        return []
    docs[name] = doc
    parsed = [(i, validate(adapter, doc, findings, (key, i))) for i in range(len(entries))]
    valid = [(i, model) for i, model in parsed if model is not None]
    if unique is None:
        return [model for _, model in valid]
    return _unique(valid, doc, key, unique, findings)
