"""Every module of the package imports on its own, first (a circular import between the
rule catalogue and a rule module once broke `import planner.solver.solve`)."""

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "planner"

# Forgets the package between imports, so each module is the first one loaded; the
# third-party libraries stay loaded, which keeps this fast.
SCRIPT = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "planner" or m.startswith("planner.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as error:
        failed.append(f"{name}: {type(error).__name__}: {error}")
print("\\n".join(failed))
"""


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_module_imports_first() -> None:
    modules = [m for m in _modules() if not m.startswith("planner.run.ray")]
    assert "planner.rules.operator_daily_load" in modules
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *modules], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
