"""Turn pydantic's validation errors into findings in the user's words, with lines."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from planner.errors import Findings
from planner.workspace.yamlio import YamlDoc


def validate(adapter: TypeAdapter, doc: YamlDoc, findings: Findings, at: tuple = ()) -> Any:
    """Validate `doc.data[at]` with `adapter`; record every error and return None on failure."""
    data = doc.data
    for part in at:
        data = data[part]
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            record(error, adapter, data, doc, findings, at)
        return None
    except TypeError as exc:  # a model's check compared a time with a UTC offset to one without
        if "offset-naive and offset-aware" not in str(exc):
            raise
        findings.add(
            doc.path,
            doc.line(at),
            "mixes times with a UTC offset (like +08:00) and times without one",
            "write every time the same way: all with an offset, or all without",
        )
        return None


def record(
    error: dict, adapter: TypeAdapter, data: Any, doc: YamlDoc, findings: Findings, at: tuple
) -> None:
    loc = tuple(error["loc"])
    path = _data_path(data, loc)
    if error["type"] == "union_tag_invalid":  # point at the `kind:` line itself
        tag_key = str((error.get("ctx") or {}).get("discriminator", "")).strip("'")
        path = _data_path(data, (*loc, tag_key))
    key = ".".join(str(p) for p in (*at, *path))
    file, line = doc.where((*at, *path))
    message, expected = describe(error, adapter._type, loc, data)
    findings.add(file, line, message, expected, key)


def _data_path(data: Any, loc: tuple) -> tuple:
    """Keep the parts of pydantic's loc that exist in the data (drop union tags)."""
    path: list = []
    here = data
    for part in loc:
        if (isinstance(here, dict) and part in here) or (
            isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here)
        ):
            here = here[part]
            path.append(part)
        elif (
            isinstance(here, dict) and isinstance(part, str) and "from" in here and part == "from_"
        ):
            here = here["from"]
            path.append("from")
    return tuple(path)


def _unwrap(tp: Any) -> list[Any]:
    """The concrete types behind Annotated / Optional / unions."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(tp):
            out.extend(_unwrap(arg))
        return out
    return [tp]


def _model_at(root: Any, loc: tuple) -> type[BaseModel] | None:
    """Follow `loc` through model fields, lists, dicts and tagged unions to a model class."""
    candidates = _unwrap(root)
    for part in loc:
        following: list[Any] = []
        for tp in candidates:
            origin = typing.get_origin(tp)
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                field = tp.model_fields.get(str(part))
                if field is None:
                    for name, info in tp.model_fields.items():
                        if info.alias == part:
                            field = tp.model_fields[name]
                if field is not None:
                    following.extend(_unwrap(field.annotation))
                else:
                    kind = tp.model_fields.get("kind")
                    if kind is not None and part in typing.get_args(kind.annotation):
                        following.append(tp)
            elif origin in (list, tuple) and isinstance(part, int):
                following.extend(_unwrap(typing.get_args(tp)[0]))
            elif origin is dict:
                following.extend(_unwrap(typing.get_args(tp)[1]))
        candidates = following
    models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
    return models[0] if len(models) == 1 else None


def _field_names(model: type[BaseModel]) -> list[str]:
    hidden = {"body", "source", "body_line"}
    return [info.alias or name for name, info in model.model_fields.items() if name not in hidden]


def describe(error: dict, root: Any, loc: tuple, data: Any) -> tuple[str, str]:
    """(what is wrong, what is expected) for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    field = str(loc[-1]) if loc else ""
    given = error.get("input")
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        names = _field_names(model) if model else []
        close = difflib.get_close_matches(field, names, n=1, cutoff=0.6)
        if close:
            return f"unknown key '{field}'", f"did you mean '{close[0]}'?"
        return f"unknown key '{field}'", (
            f"expected one of: {', '.join(names)}" if names else "remove it"
        )
    if kind == "missing":
        return f"missing key '{field}'", f"add '{field}:'"
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        expected = ctx.get("expected_tags", "")
        names = [t.strip().strip("'") for t in str(expected).split(",")]
        close = difflib.get_close_matches(str(tag), names, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"unknown kind '{tag}'", f"{hint}expected one of: {', '.join(names)}"
    if kind == "union_tag_not_found":
        return "missing key 'kind'", "add 'kind:' naming the type"
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", ""))
        names = [t.strip().strip("'") for t in expected.replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(given), names, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        what = _noun(loc)
        return f"unknown {what} '{given}'", f"{hint}expected one of: {', '.join(names)}"
    if kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
        if "; " in message:
            what, expected = message.split("; ", 1)
            return what, expected
        return message, _expected_for(loc)
    if kind in _DATE_PARSING and "outside expected range" in str(ctx.get("error", "")):
        return _impossible_date(kind, field, given, str(ctx["error"]))
    message = error["msg"].replace("Input should", "should").replace("Value should", "should")
    shown = repr(given) if not isinstance(given, dict | list) else type(given).__name__
    expected = next((text for prefix, text in _EXPECTED if kind.startswith(prefix)), "")
    if not expected:
        expected = _expected_for(loc)
    label = f"'{field}'" if field and not field.isdigit() else "entry"
    return f"{label} {message} (got {shown})", expected


_DATE_PARSING = ("date_from_datetime_parsing", "datetime_from_date_parsing")


def _impossible_date(kind: str, field: str, given: Any, why: str) -> tuple[str, str]:
    """A date written in the right shape that is not on the calendar (2026-11-31)."""
    example = "2026-11-30 20:00" if kind.startswith("datetime") else "2026-11-30"
    return (
        f"'{field}' {given} does not exist ({why})",
        f"expected a date that exists, like {example}",
    )


_EXPECTED = (
    ("int_", "expected a whole number"),
    ("float_", "expected a number"),
    ("decimal_", "expected a number"),
    ("bool_", "expected true or false"),
    ("datetime_", "expected a date-time like 2026-11-25 20:00"),
    ("date_", "expected a date like 2026-11-25"),
    ("time_", "expected a time like 07:30"),
    ("string_", "expected text"),
    ("list_", "expected a list"),
    ("tuple_", "expected a list"),
    ("dict_", "expected a mapping of 'key: value' lines"),
    ("model_", "expected a mapping of 'key: value' lines"),
    ("model_attributes_type", "expected a mapping of 'key: value' lines"),
    ("greater_than", "expected a larger value"),
    ("less_than", "expected a smaller value"),
    ("too_short", "expected more entries"),
    ("too_long", "expected fewer entries"),
)


def _noun(loc: tuple) -> str:
    """Name the vocabulary a bad value belongs to: stage, kind, group type..."""
    names = [str(p) for p in loc if isinstance(p, str)]
    for name in reversed(names):
        if name in ("stage", "stages"):
            return "stage"
        if name in ("type", "types", "group_types"):
            return "group type"
        if name in ("kind", "kinds", "forbidden_kinds", "promotional_kinds"):
            return "kind"
        if name in ("locale", "repeat"):
            return name
    # dict keys validated against an enum show up as "[key]" parts
    if len(names) >= 2 and names[-1].endswith("[key]"):
        return "key"
    return f"value for '{names[-1]}'" if names else "value"


def _expected_for(loc: tuple) -> str:
    field = str(loc[-1]) if loc else ""
    return f"check the value of '{field}'" if field else "check the value"
