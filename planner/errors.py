"""One error family for everything a user can get wrong.

Every finding carries the file, line and key it concerns so the CLI can print
``path:line: what is wrong; what is expected`` and tests can assert on it.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Finding:
    """One thing wrong with the user's input (or a warning about it)."""

    path: str
    line: int
    message: str
    expected: str = ""
    key: str = ""
    # "error"; "conflict": one group's rules cannot all hold (`check` fails on it, `plan`
    # leaves the group out and plans the rest); "warning" or "note"
    severity: str = field(default="error", compare=False)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.expected:
            text += f"; {self.expected}"
        if self.severity not in ("error", "conflict"):
            text = f"{where}: {self.severity}: {text[len(where) + 2 :]}"
        return text


class PlannerError(ValueError):
    """Raised when input cannot be used; carries every finding, not just the first."""

    def __init__(self, findings: list[Finding] | Finding):
        self.findings = [findings] if isinstance(findings, Finding) else list(findings)
        super().__init__("\n".join(str(p) for p in self.findings))


class Findings:
    """Collects findings across a whole load so the user sees all of them in one run."""

    def __init__(self) -> None:
        self.items: list[Finding] = []

    def add(
        self,
        path: Path | str,
        line: int,
        message: str,
        expected: str = "",
        key: str = "",
        severity: str = "error",
    ) -> None:
        self.items.append(Finding(str(path), line, message, expected, key, severity))

    def extend(self, findings: list[Finding]) -> None:
        self.items.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return sorted(p for p in self.items if p.severity == "error")

    @property
    def conflicts(self) -> list[Finding]:
        return sorted(p for p in self.items if p.severity == "conflict")

    @property
    def warnings(self) -> list[Finding]:
        return sorted(p for p in self.items if p.severity not in ("error", "conflict"))


def crash_report(exc: BaseException, version: str) -> str:
    """Write the traceback to a temporary file and return its path for the bug report."""
    import tempfile

    try:
        handle, path = tempfile.mkstemp(prefix="planner-crash-", suffix=".txt")
        with open(handle, "w", encoding="utf-8") as out:
            out.write(f"community-planner {version}\n")
            out.write("".join(traceback.format_exception(exc)))
        return path
    except OSError:
        return "the output of --debug"
