"""Pure-Python stand-ins for the two Agora SDKs, copied into a temporary directory by tests.

They reproduce the parts of each SDK's Python surface the adapters use (names and
argument lists from docs/agora.md) and play a short scripted channel from a separate
thread, as the native engines call back from theirs.  Nothing here is imported directly:
the fixtures put a copy on ``sys.path`` and go through ``load_backend``.
"""
