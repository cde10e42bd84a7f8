"""Where the built-in content library, rule packs and demo live.

In a wheel they are copied under planner/_builtin/; in a source checkout
(editable install, tests) they are the repo-root folders DESIGN.md lays out.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # the planner package


def builtin_root() -> Path:
    """The folder holding content_library/, rules/ and examples/."""
    bundled = _PACKAGE / "_builtin"
    if (bundled / "rules").is_dir():
        return bundled
    return _PACKAGE.parent


def builtin_library() -> Path:
    return builtin_root() / "content_library"


def builtin_rules() -> Path:
    return builtin_root() / "rules"


def demo_workspace() -> Path:
    return builtin_root() / "examples" / "demo"
