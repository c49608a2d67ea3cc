"""The ``aioclubhouse`` command: log in, call any endpoint, stream room events as JSON lines."""

from .main import main

__all__ = ["main"]
