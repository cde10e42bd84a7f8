"""The sandboxes templates render in. Item bodies: only the documented names, filters,
methods and statements. A workspace's own templates/: bounded operators, no globals and
no filters that grow text by a number.

Jinja's own globals (`lipsum`, `range`, `cycler`, `dict`, ...) print functions with
their memory address or Python class names, so two runs would differ; `{% set %}`,
macros and operators like `'x' * 10**9` can make a 1 KB body take the machine's
memory. A post is plain text from the item's fields: `if` and `for` over what is in
scope, the filters below, and a few methods of dates and text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

# The filters the README documents for item bodies; each keeps its output within a
# small multiple of its input (no `center`, `format`, `indent`, `random`; `replace`
# only while its result stays within a post).
ITEM_FILTERS = (
    "abs", "capitalize", "count", "d", "default", "first", "float", "int", "join", "last",
    "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "round", "select",
    "selectattr", "sort", "string", "sum", "title", "trim", "truncate", "unique", "upper",
    "wordcount", "replace",
)  # fmt: skip
# Methods a body may call: of dates and times (`item.deadline.strftime('%H:%M')`), text,
# mappings, and a for loop's `loop`.
ITEM_METHODS = frozenset(
    ("strftime", "isoformat", "upper", "lower", "strip", "title", "capitalize", "startswith",
     "endswith", "split", "get", "keys", "values", "items", "cycle", "changed")
)  # fmt: skip
MAX_POST_CHARS = 100_000  # a chat post is a few hundred characters
_MAX_INT_BITS = 4096
_GROWING_FILTERS = ("center", "indent", "format", "wordwrap", "replace", "pprint", "random")
_REFUSED_SYNTAX = {
    nodes.Assign: "{% set %}",
    nodes.AssignBlock: "{% set %}",
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from ... import %}",
    nodes.Extends: "{% extends %}",
    nodes.Block: "{% block %}",
    nodes.With: "{% with %}",
    nodes.FilterBlock: "{% filter %}",
}


def _refuse_callables(value: Any) -> Any:
    """A printed function or method would show its memory address: an error instead."""
    if callable(value):
        raise SecurityError(f"prints a function ({getattr(value, '__name__', 'callable')})")
    return value


class BoundedEnvironment(SandboxedEnvironment):
    """A sandbox whose operators cannot build a value beyond any post or page: for item
    bodies and for a workspace's own templates/ alike."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            raise SecurityError("'%' formatting of text is not available; write the text out")
        if operator == "**" and _power_bits(left, right) > _MAX_INT_BITS:
            raise SecurityError(f"{left} ** {right} is too large")
        if operator == "*" and _repeated_size(left, right) > MAX_POST_CHARS:
            raise SecurityError("repeats text or a list beyond the size of a post")
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, int) and result.bit_length() > _MAX_INT_BITS:
            raise SecurityError("a number too large for a post")
        return result


def _bounded_replace(value: Any, old: str, new: str, count: int | None = None) -> str:
    """Jinja's `replace` (a name tidied in a title), refused where it would build text
    beyond a post: "x" | replace("", long) grows with every character."""
    text = str(value)
    times = text.count(str(old)) if count is None else min(count, text.count(str(old)))
    if len(text) + times * max(0, len(str(new)) - len(str(old))) > MAX_POST_CHARS:
        raise SecurityError("replace builds text beyond the size of a post")
    return text.replace(str(old), str(new), -1 if count is None else count)


def bounded(env: SandboxedEnvironment) -> SandboxedEnvironment:
    """`env` without Jinja's globals (they print internals, `range` loops without data)
    and without the filters that grow text by a number (`center`, `indent`, `format`...);
    `replace` only within a post's size."""
    env.globals.clear()
    for name in _GROWING_FILTERS:
        env.filters.pop(name, None)
    env.filters["replace"] = _bounded_replace
    return env


class ItemEnvironment(BoundedEnvironment):
    """Strict undefined names, no globals, the documented filters, bounded operators,
    and only a few methods of dates and text."""

    def is_safe_callable(self, obj: Any) -> bool:
        return getattr(obj, "__name__", "") in ITEM_METHODS and super().is_safe_callable(obj)

    def call(__self, __context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Jinja's own refusal names the function with its memory address: name it only."""
        if not __self.is_safe_callable(__obj):
            name = getattr(__obj, "__name__", type(__obj).__name__)
            raise SecurityError(f"calling '{name}' is not available in item text")
        return super().call(__context, __obj, *args, **kwargs)


def _power_bits(base: Any, exponent: Any) -> int:
    """About how many bits `base ** exponent` takes for whole numbers, else 0."""
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
        return max(base.bit_length(), 1) * exponent
    return 0


def _repeated_size(left: Any, right: Any) -> int:
    """The length `left * right` would have when it repeats a sequence, else 0."""
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(times, int):
            return len(seq) * times
    return 0


ITEM_ENV = ItemEnvironment(
    undefined=jinja2.StrictUndefined,
    autoescape=False,  # posts are plain chat text; HTML escaping happens in the HTML writer
    keep_trailing_newline=False,
    finalize=_refuse_callables,
)
ITEM_ENV.globals.clear()
ITEM_ENV.filters = {name: ITEM_ENV.filters[name] for name in ITEM_FILTERS}
ITEM_ENV.filters["replace"] = _bounded_replace


@lru_cache(maxsize=4096)
def refused_syntax(body: str) -> tuple[str, int] | None:
    """(statement, template line) of the first statement item bodies may not use."""
    found = []
    for node in ITEM_ENV.parse(body).find_all(nodes.Stmt):
        what = _REFUSED_SYNTAX.get(type(node))
        if what is None and isinstance(node, nodes.For) and node.recursive:
            what = "a recursive loop"
        if what is not None:
            found.append((node.lineno, what))
    return (min(found)[1], min(found)[0]) if found else None
