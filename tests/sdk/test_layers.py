"""The package's layers import downward only (docs/architecture.md).

Every module's imports are read from its source, run-time imports and imports under
``TYPE_CHECKING`` alike, and each layer is checked against the places it must never reach.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "aioclubhouse"

# A module (or folder) of the package, and the places it must not import.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "errors": ("transport", "api", "session", "rooms", "bridge", "fleet", "cli", "emulator"),
    "redaction": ("transport", "api", "session", "rooms", "bridge", "fleet", "cli", "emulator"),
    "transport": ("api", "session", "rooms", "endpoints", "models", "clarity", "bridge", "fleet"),
    "dialect": ("api", "session", "rooms", "bridge", "fleet", "cli", "emulator"),
    "models": ("api", "session", "rooms", "endpoints", "bridge", "fleet", "cli", "emulator"),
    "endpoints": ("api", "session", "rooms", "bridge", "fleet", "cli", "emulator"),
    "api": ("session", "rooms", "bridge", "fleet", "cli", "emulator"),
    "clarity": ("api", "session", "rooms", "bridge", "fleet", "cli", "emulator"),
    "rooms": ("session", "bridge", "fleet", "cli", "emulator"),
    "session": ("bridge", "fleet", "cli", "emulator"),
    "bridge": ("fleet", "cli", "emulator"),
    "fleet": ("cli",),
    "emulator": ("cli", "session", "rooms", "bridge", "fleet"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, as absolute dotted names."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


def layer_of(dotted: str) -> str | None:
    """The first part under ``aioclubhouse`` (``rooms`` for ``aioclubhouse.rooms.room``)."""
    parts = dotted.split(".")
    return parts[1] if parts[0] == "aioclubhouse" and len(parts) > 1 else None


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_layer_is_found() -> None:
    layers = {layer_of(module_name(path)) for path in SOURCES}
    assert set(FORBIDDEN) <= layers


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: module_name(path))
def test_imports_flow_downward(path: Path) -> None:
    own = layer_of(module_name(path))
    forbidden = FORBIDDEN.get(own or "", ())
    reached = {layer_of(name) for name in imported_modules(path)} - {own}
    wrong = sorted(layer for layer in reached if layer in forbidden)
    assert not wrong, f"{module_name(path)} imports {wrong}"


def test_relative_imports_are_read() -> None:
    """Relative imports resolve to absolute names, so no rule passes by being unread."""
    module = PACKAGE / "rooms" / "room.py"
    names = imported_modules(module)
    assert "aioclubhouse.rooms.options" in names
    assert "aioclubhouse.errors" in names
    assert layer_of("aioclubhouse.session") in FORBIDDEN["rooms"]
