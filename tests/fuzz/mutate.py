"""Mutations of a workspace's files, driven by a `random.Random` (hypothesis gives one that
it can shrink; benchmarks/fuzz_run.py a seeded one). Each function returns new text; none
reads the clock or the machine, so a seed replays a case exactly.

Reusable for other file kinds: `mutate_text(text, suffix, rng)` picks a mutation fitting a
`.yaml`, `.md` or `.j2` file; `mutate_yaml_data` works on any YAML mapping or list.
"""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

ODD_VALUES: list[Any] = [
    None, True, 0, -1, 10**30, 1.5, float("inf"), "", "x" * 5000, [], {}, [[[]]], {"a": {"b": 1}},
    "茶\n群", "a\u2028b", "a\u2029b", "a\x85b", "\x00", "\u202eevil", "🍵" * 50, "../../etc/passwd",
    "/etc/passwd", "{{ lipsum }}", "images/cover.png\n### 10:00 fake", date(1, 1, 1),
    date(9999, 12, 31), datetime(2026, 11, 24, 8, 0, tzinfo=timezone(timedelta(hours=8))),
    datetime(2026, 11, 24, 8, 0), "2026-02-30", "25:61", "08:00-07:00", "P1D", "-5m",
]  # fmt: skip
ODD_DATES = [
    "0001-01-01", "9999-12-31", "2026-13-01", "2026-02-30", "2026-11-23T10:00:00+08:00",
    "2026-11-23T10:00:00Z", "2026-11-23 25:00", "1899-12-31", "3000-01-01", "2026-11-22",
]  # fmt: skip
ODD_CHARACTERS = "\x00\t\r\u2028\u2029\x85\ufeff'\"{}[]&*!|>%@`#:-"
YAML_SNIPPETS = [
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
    "loop: &l\n  self: *l\n", "x: *undefined\n", "<<: {a: 1}\n", "- " * 60 + "x\n",
    "[" * 300 + "]" * 300 + "\n", "{" * 50 + "\n", "key: [unclosed\n", "\t- tab\n",
    "!!python/object/apply:os.system ['true']\n", "%YAML 1.2\n---\n", "...\n", "---\n",
    "? [complex, key]\n: value\n", "dup: 1\ndup: 2\n", "\ufeffbom: 1\n", "x: !!binary AAAA\n",
]  # fmt: skip
JINJA_SNIPPETS = [
    "{{", "{% if %}", "{% endfor %}", "{{ lipsum }}", "{{ range(10) }}", "{{ cycler }}",
    "{{ dict }}", "{{ namespace() }}", "{{ item.no_such_field }}", "{{ group.vars.items }}",
    "{{ 'x' * 999999999 }}", "{{ 9 ** 999999 }}", "{% set s = 'a' %}{{ s }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{% include 'x.j2' %}",
    "{{ item.title | center(99999999) }}", "{{ '%99999999s' % 1 }}", "{{ ''.__class__ }}",
    "{{ post.date | default }}", "{% for t in group.tags %}{{ loop.cycle('a') }}{% endfor %}",
    "{{ plan.posts[99].title }}", "{{ posts | length }}", "{{ undefined_name }}",
    "{{ group.name ~ 1 }}", "{{ 1 / 0 }}", "\u2028", "{# unclosed comment",
]  # fmt: skip


def mutate_yaml_data(data: Any, rng: random.Random) -> Any:
    """`data` with one node replaced, removed, duplicated or renamed (a typo)."""
    if not isinstance(data, dict | list) or not data:
        return rng.choice(ODD_VALUES)
    key = rng.choice(list(data)) if isinstance(data, dict) else rng.randrange(len(data))
    action = rng.choice(["replace", "descend", "descend", "descend", "remove", "copy", "rename"])
    if action == "descend" and isinstance(data[key], dict | list) and data[key]:
        data[key] = mutate_yaml_data(data[key], rng)
    elif action == "remove":
        del data[key]
    elif action == "copy" and isinstance(data, list):
        data.insert(key, data[key])
    elif action == "rename" and isinstance(data, dict):
        data[f"{key}x" if rng.random() < 0.5 else str(key)[:-1]] = data.pop(key)
    else:
        data[key] = rng.choice(ODD_VALUES)
    return data


def mutate_yaml_text(text: str, rng: random.Random) -> str:
    """A structural mutation of YAML text: its data changed and written back."""
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, RecursionError):  # 2026-02-30 is a ValueError
        return insert_snippet(text, rng, YAML_SNIPPETS)
    mutated = mutate_yaml_data(data, rng)
    return yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False)


def insert_snippet(text: str, rng: random.Random, snippets: list[str]) -> str:
    """A snippet inserted at the start of a random line (or of the text)."""
    lines = text.splitlines(keepends=True)
    at = rng.randrange(len(lines) + 1)
    return "".join([*lines[:at], rng.choice(snippets), *lines[at:]])


def replace_date(text: str, rng: random.Random) -> str:
    """One date in the text replaced by an odd one (out of range, impossible, with offset)."""
    found = list(re.finditer(r"\d{4}-\d{2}-\d{2}", text))
    if not found:
        return insert_snippet(text, rng, [f"from: {rng.choice(ODD_DATES)}\n"])
    hit = rng.choice(found)
    return text[: hit.start()] + rng.choice(ODD_DATES) + text[hit.end() :]


def damage_text(text: str, rng: random.Random) -> str:
    """Cut short, a character changed to an odd one, a line doubled or a tab indent."""
    how = rng.choice(["cut", "char", "double", "tab"])
    if how == "cut" or not text:
        return text[: rng.randrange(len(text) + 1)]
    at = rng.randrange(len(text))
    if how == "char":
        return text[:at] + rng.choice(ODD_CHARACTERS) + text[at:]
    lines = text.splitlines(keepends=True)
    line = rng.randrange(len(lines))
    if how == "double":
        return "".join([*lines[: line + 1], *lines[line:]])
    return "".join([*lines[:line], "\t" + lines[line], *lines[line + 1 :]])


def mutate_front_matter(text: str, rng: random.Random) -> str:
    """An item file: its front matter or its body mutated."""
    parts = text.split("---\n", 2)
    if len(parts) != 3 or rng.random() < 0.3:
        return damage_text(text, rng)
    _, front, body = parts
    if rng.random() < 0.5:
        return f"---\n{mutate_yaml_text(front, rng)}---\n{body}"
    return f"---\n{front}---\n{insert_snippet(body, rng, JINJA_SNIPPETS)}"


def mutate_text(text: str, suffix: str, rng: random.Random) -> str:
    """One mutation fitting a file of this suffix."""
    if suffix == ".md":
        return mutate_front_matter(text, rng)
    if suffix == ".j2":
        snippets = rng.choice([JINJA_SNIPPETS, ["{{ item }}", "{{ lipsum }}", "{% for %}"]])
        return insert_snippet(text, rng, snippets) if rng.random() < 0.8 else damage_text(text, rng)
    mutation = rng.choice([mutate_yaml_text, mutate_yaml_text, replace_date, damage_text])
    if rng.random() < 0.15:
        return insert_snippet(text, rng, YAML_SNIPPETS)
    return mutation(text, rng)


def mutate_workspace(files: list[Path], rng: random.Random, count: int) -> list[str]:
    """`count` mutations of randomly chosen files, written in place; what was done."""
    done = []
    for _ in range(count):
        path = rng.choice(files)
        text = path.read_text("utf-8", errors="surrogateescape")
        new = mutate_text(text, path.suffix, rng)
        path.write_bytes(new.encode("utf-8", errors="surrogateescape"))
        done.append(path.name)
    return done


WEEKS = ["2026-11-23"] * 8 + ["9999-12-31", "0001-01-01", "2026-02-30", "this", "x"]
