"""Fixtures shared by the whole suite: the emulator's own pytest plugin, and the JSON
reader decoding tests run under."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aioclubhouse import jsonparse

pytest_plugins = ["aioclubhouse.emulator.pytest_plugin"]


@pytest.fixture(params=["orjson", "json"])
def json_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a test once with each JSON reader the SDK may use: orjson (the ``speedups``
    extra, skipped where it is not installed) and the standard library's."""
    if request.param == "orjson":
        if jsonparse.fast_loads is None:
            pytest.skip("orjson (the speedups extra) is not installed")
        monkeypatch.setattr(jsonparse, "loads", jsonparse.fast_loads)
    else:
        monkeypatch.setattr(jsonparse, "loads", jsonparse.pure_loads)
    yield request.param
