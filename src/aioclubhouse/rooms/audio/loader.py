"""Choosing an audio backend by name, and importing Agora's SDKs without letting them hurt.

Importing the Agora packages is risky on its own: ``agora`` (the server SDK) downloads
its native library at import time when the file is missing, switches off TLS
certificate checks for the whole process (``ssl._create_default_https_context``) and
calls ``sys.exit(1)`` when the library cannot be loaded.  So before importing, the
loader looks for the package and its native files without executing anything
(``importlib.util.find_spec``); the import itself runs under ``except BaseException``
with the TLS default saved and restored; any failure becomes one
:class:`AudioBackendUnavailable` that says what is missing and how to install it.
"""

from __future__ import annotations

import importlib
import importlib.util
import ssl
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ...errors import InvalidArgumentError
from .backend import AudioBackend
from .errors import AudioBackendUnavailable

if TYPE_CHECKING:
    from .agora_server import AgoraServerSdk

__all__ = [
    "BACKEND_NAMES",
    "load_agora_server_sdk",
    "load_agorartc",
    "load_backend",
]

BACKEND_NAMES = ("fake", "agora-server", "agora-rtc")

SERVER_SDK_HINT = (
    "install it with `pip install agora-python-server-sdk` on Linux or macOS with "
    "network access (its installer downloads the native Agora library from "
    "download.agora.io; there is no wheel)"
)
AGORARTC_HINT = (
    "`pip install agora-python-sdk` only works on Windows or macOS with CPython 3.6-3.9; "
    "elsewhere use the 'agora-server' backend"
)


def load_backend(name: str = "fake", **options: Any) -> AudioBackend:
    """A new, unconnected backend; ``options`` go to its constructor.

    ``"fake"`` is :class:`FakeAudioBackend`; ``"agora-server"`` needs
    ``agora-python-server-sdk`` and its native library; ``"agora-rtc"`` needs
    ``agora-python-sdk`` (``agorartc``).
    """
    if name == "fake":
        from .fake import FakeAudioBackend

        return FakeAudioBackend(**options)
    if name == "agora-server":
        from .agora_server import AgoraServerBackend

        return AgoraServerBackend(load_agora_server_sdk(), **options)
    if name == "agora-rtc":
        from .agora_rtc import AgoraRtcBackend

        return AgoraRtcBackend(load_agorartc(), **options)
    raise InvalidArgumentError("name", f"unknown audio backend {name!r}; one of {BACKEND_NAMES}")


# -- agora-python-server-sdk ----------------------------------------------------------------


def server_sdk_native_files(package_dir: Path) -> list[Path]:
    """The files the ``agora`` package needs before importing it can succeed offline."""
    library_dir = package_dir / "agora_sdk"
    if sys.platform == "darwin":
        libraries = ["libAgoraRtcKit.dylib"]
    else:
        libraries = ["libagora_rtc_sdk.so", "libaosl.so"]
    return [library_dir / name for name in libraries] + [package_dir / "version.txt"]


def load_agora_server_sdk() -> AgoraServerSdk:
    """The server SDK's modules as an ``AgoraServerSdk``, or ``AudioBackendUnavailable``."""
    spec = importlib.util.find_spec("agora")
    if spec is None or not spec.submodule_search_locations:
        raise AudioBackendUnavailable(
            f"agora-python-server-sdk is not installed: {SERVER_SDK_HINT}"
        )
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    missing = [path for path in server_sdk_native_files(package_dir) if not path.is_file()]
    if missing:
        names = ", ".join(str(path.relative_to(package_dir)) for path in missing)
        raise AudioBackendUnavailable(
            f"agora-python-server-sdk at {package_dir} lacks its native files ({names}); "
            f"importing it now would try to download them. Reinstall: {SERVER_SDK_HINT}"
        )
    service, base, connection_observer, user_observer, frame_observer = guarded_import(
        [
            "agora.rtc.agora_service",
            "agora.rtc.agora_base",
            "agora.rtc.rtc_connection_observer",
            "agora.rtc.local_user_observer",
            "agora.rtc.audio_frame_observer",
        ],
        distribution="agora-python-server-sdk",
        hint=SERVER_SDK_HINT,
    )
    from .agora_server import AgoraServerSdk

    return AgoraServerSdk(
        agora_service=service,
        agora_base=base,
        rtc_connection_observer=connection_observer,
        local_user_observer=user_observer,
        audio_frame_observer=frame_observer,
    )


# -- agora-python-sdk (agorartc) ------------------------------------------------------------


def load_agorartc() -> ModuleType:
    """The ``agorartc`` module, or ``AudioBackendUnavailable``."""
    if importlib.util.find_spec("agorartc") is None:
        raise AudioBackendUnavailable(
            f"agora-python-sdk (agorartc) is not installed: {AGORARTC_HINT}"
        )
    native = importlib.util.find_spec("_agorartc")
    if native is None or native.origin is None or not Path(native.origin).is_file():
        raise AudioBackendUnavailable(
            f"agorartc is installed without its native extension _agorartc: {AGORARTC_HINT}"
        )
    [module] = guarded_import(["agorartc"], distribution="agora-python-sdk", hint=AGORARTC_HINT)
    return module


# -- the guarded import ---------------------------------------------------------------------


def guarded_import(names: Sequence[str], *, distribution: str, hint: str) -> list[ModuleType]:
    """Import ``names``; on any failure undo the partial import and raise one clear error.

    Whatever happens, ``ssl._create_default_https_context`` is what it was before.
    Only ``KeyboardInterrupt`` passes through unchanged.
    """
    tops = {name.split(".")[0] for name in names}
    tops |= {f"_{top}" for top in tops}
    before = set(sys.modules)
    tls_default = ssl._create_default_https_context
    try:
        return [importlib.import_module(name) for name in names]
    except KeyboardInterrupt:
        _forget_new_modules(before, tops)
        raise
    except BaseException as exc:
        _forget_new_modules(before, tops)
        raise AudioBackendUnavailable(
            f"importing {distribution} failed ({type(exc).__name__}: {exc}); {hint}"
        ) from exc
    finally:
        ssl._create_default_https_context = tls_default


def _forget_new_modules(before: set[str], tops: set[str]) -> None:
    """Drop half-imported modules so that a later attempt starts clean."""
    for name in set(sys.modules) - before:
        if name.split(".")[0] in tops:
            del sys.modules[name]
