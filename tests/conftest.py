"""Fixtures shared by the whole suite: the emulator's own pytest plugin."""

pytest_plugins = ["aioclubhouse.emulator.pytest_plugin"]
