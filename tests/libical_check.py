"""libical's restriction check (RFC 5546) of iCalendar files, run by Debian's python3 with
gir1.2-ical-3.0: prints one line per problem as 'path: error', nothing when all pass.

Run as `/usr/bin/python3 tests/libical_check.py FILE...` (the tests' venv has no gi)."""

import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402

ERROR = ICalGLib.PropertyKind.XLICERROR_PROPERTY
ANY = ICalGLib.ComponentKind.ANY_COMPONENT


def errors(component) -> list[str]:
    """The X-LIC-ERROR properties libical added to a component and all it holds."""
    found = []
    prop = component.get_first_property(ERROR)
    while prop:
        found.append(prop.get_xlicerror())
        prop = component.get_next_property(ERROR)
    child = component.get_first_component(ANY)
    while child:
        found += errors(child)
        child = component.get_next_component(ANY)
    return found


def main(paths: list[str]) -> int:
    failed = 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            calendar = ICalGLib.Component.new_from_string(handle.read())
        if calendar is None:
            print(f"{path}: libical cannot parse it")
            failed += 1
            continue
        passed = calendar.check_restrictions()
        problems = errors(calendar)
        if not passed or problems:
            failed += 1
            print(f"{path}: " + "; ".join(problems or ["restriction check failed"]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
