"""Issue 17: the rule packs cite a page users have (docs/defaults.md), not DOMAIN.md, and that
page explains every key the packs set."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from planner.models.common import GroupType, Kind, Stage

REPO = Path(__file__).resolve().parents[1]
PACKS = sorted((REPO / "rules").rglob("*.yaml"))
DEFAULTS = REPO / "docs" / "defaults.md"
CITATION = re.compile(r"(docs/[\w./-]+\.md)(#[\w-]+)?")
NAMES = {*Kind, *Stage, *GroupType, "label", "description", "name"}  # names, not settings


def _comments(path: Path) -> list[tuple[int, str]]:
    lines = path.read_text("utf-8").splitlines()
    return [(n, line.split("#", 1)[1]) for n, line in enumerate(lines, 1) if "#" in line]


def _anchors(page: Path) -> set[str]:
    """GitHub's anchors of a Markdown page's headings."""
    headings = re.findall(r"^#+\s+(.+?)\s*$", page.read_text("utf-8"), re.MULTILINE)
    return {"#" + re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def test_no_rule_pack_cites_domain_md() -> None:
    cited = [
        f"{path.relative_to(REPO)}:{n}"
        for path in PACKS
        for n, comment in _comments(path)
        if "DOMAIN" in comment
    ]
    assert cited == [], "users have no DOMAIN.md: cite docs/defaults.md#<section>"


def test_every_docs_citation_of_the_packs_exists() -> None:
    broken = []
    cited = 0
    for path in PACKS:
        for n, comment in _comments(path):
            for page, anchor in CITATION.findall(comment):
                cited += 1
                target = REPO / page
                if not target.is_file() or (anchor and anchor not in _anchors(target)):
                    broken.append(f"{path.relative_to(REPO)}:{n}: {page}{anchor}")
    assert broken == []
    assert cited >= 10  # the packs do cite the page


def _keys(data) -> set[str]:
    if isinstance(data, dict):
        return {str(k) for k in data} | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


def test_the_defaults_page_explains_every_key_of_the_packs() -> None:
    spans = re.findall(r"`([^`]+)`", DEFAULTS.read_text("utf-8"))
    documented = {word for span in spans for word in re.findall(r"\w+", span)}
    keys = set()
    for path in (REPO / "rules").glob("*.yaml"):
        keys |= _keys(yaml.safe_load(path.read_text("utf-8")))
    missing = sorted(keys - NAMES - documented)
    assert missing == [], "add them to docs/defaults.md: the figure, its meaning, its source"


def test_the_readme_links_the_defaults_page() -> None:
    assert "(docs/defaults.md)" in (REPO / "README.md").read_text("utf-8")
