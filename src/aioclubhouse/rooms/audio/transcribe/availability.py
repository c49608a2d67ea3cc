"""Importing pocketsphinx only when transcription is asked for, with one clear error.

pocketsphinx comes with the optional extra ``aioclubhouse[transcribe]``; importing the
SDK never imports it, so rooms without a transcriber neither need it nor pay for it.
"""

from __future__ import annotations

from types import ModuleType

from .errors import TranscriberUnavailable

__all__ = ["EXTRA_HINT", "import_pocketsphinx"]

EXTRA_HINT = "install it with: pip install 'aioclubhouse[transcribe]'"


def import_pocketsphinx() -> ModuleType:
    """The ``pocketsphinx`` module, or :class:`TranscriberUnavailable` naming the extra."""
    try:
        import pocketsphinx  # type: ignore[import-untyped]
    except ImportError as exc:
        raise TranscriberUnavailable(
            f"transcription needs pocketsphinx, which is not installed: {EXTRA_HINT}"
        ) from exc
    module: ModuleType = pocketsphinx
    return module
