"""The ``aioclubhouse`` command line (the ``cli`` extra: click and rich).

The library never imports this package, and library users need neither click nor
rich: ``pip install 'aioclubhouse[cli]'`` brings them.  Without them, the command says
so in one line and exits with 2.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

__all__ = ["MISSING_EXTRA", "main"]

MISSING_EXTRA = "the command line needs: pip install 'aioclubhouse[cli]'"


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``aioclubhouse`` with ``argv`` (default: the process's); the exit code."""
    try:
        missing = [name for name in ("click", "rich") if importlib.util.find_spec(name) is None]
    except ValueError:  # a module whose spec is unset (importing it failed before)
        missing = ["click or rich"]
    if missing:
        print(MISSING_EXTRA, file=sys.stderr)
        return 2
    from .app import run

    return run(argv)
