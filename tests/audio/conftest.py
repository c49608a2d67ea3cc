"""Fixtures for the audio tests: SDK doubles on sys.path, and one harness per backend."""

from __future__ import annotations

import os
import shutil
import ssl
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

from aioclubhouse.rooms.audio import (
    CLUBHOUSE_AGORA_APP_ID,
    AudioBackend,
    AudioBackendUnavailable,
    FakeAudioBackend,
    load_backend,
)

DOUBLES = Path(__file__).parent / "doubles"
SDK_MODULE_ROOTS = ("agora", "agorartc", "_agorartc")

SPEAKER_UID = 42
"""The remote speaker both SDK doubles script, and the one the fake is given."""
TONE_HZ = 440.0


def forget_sdk_modules() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in SDK_MODULE_ROOTS:
            del sys.modules[name]


@pytest.fixture
def sdk_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty directory first on sys.path; SDK modules are forgotten afterwards.

    Also checks that nothing left the process-wide HTTPS default changed.
    """
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    tls_default = ssl._create_default_https_context
    forget_sdk_modules()
    yield site
    forget_sdk_modules()
    assert ssl._create_default_https_context is tls_default


def server_native_files(package: Path) -> list[Path]:
    if sys.platform == "darwin":
        libraries = ["libAgoraRtcKit.dylib"]
    else:
        libraries = ["libagora_rtc_sdk.so", "libaosl.so"]
    return [package / "agora_sdk" / name for name in libraries] + [package / "version.txt"]


def install_server_double(site: Path, *, native: bool = True) -> Path:
    """Copy the agora-python-server-sdk double into ``site``; with its native files if asked."""
    shutil.copytree(DOUBLES / "server_sdk" / "agora", site / "agora")
    if native:
        add_native_files(site / "agora")
    return site / "agora"


def add_native_files(package: Path) -> None:
    for path in server_native_files(package):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"placeholder")


def install_rtc_double(site: Path, *, extension: bool = True) -> None:
    shutil.copy(DOUBLES / "rtc_sdk" / "agorartc.py", site / "agorartc.py")
    if extension:
        shutil.copy(DOUBLES / "rtc_sdk" / "_agorartc.py", site / "_agorartc.py")


def sdk_calls(module_name: str) -> list[tuple[Any, ...]]:
    module: ModuleType = sys.modules[module_name]
    calls: list[tuple[Any, ...]] = module.CALLS
    return calls


# -- the contract harness ------------------------------------------------------------------


@attrs.define
class Harness:
    """A fresh backend plus what a contract test needs to know about its channel."""

    name: str
    backend: AudioBackend
    join: dict[str, Any]
    speaker_uid: int | None = None
    """A remote uid known to speak a ``TONE_HZ`` tone, if the channel is scripted."""


def _real_join() -> dict[str, Any] | None:
    """Join arguments for a real channel, from the environment, if all are given."""
    token = os.environ.get("AIOCLUBHOUSE_AGORA_TOKEN")
    channel = os.environ.get("AIOCLUBHOUSE_AGORA_CHANNEL")
    uid = os.environ.get("AIOCLUBHOUSE_AGORA_UID")
    if not (token and channel and uid):
        return None
    app_id = os.environ.get("AIOCLUBHOUSE_AGORA_APP_ID", CLUBHOUSE_AGORA_APP_ID)
    return {"app_id": app_id, "token": token, "channel": channel, "uid": int(uid)}


SCRIPTED_JOIN = {
    "app_id": CLUBHOUSE_AGORA_APP_ID,
    "token": "006938de3e8055e42b281bb8c6f69c21f78-test-token",
    "channel": "xlkQyYLP",
    "uid": 326292,
}

BACKEND_CASES = ["fake", "agora-server-double", "agora-rtc-double", "agora-server", "agora-rtc"]


@pytest.fixture(params=BACKEND_CASES)
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    name: str = request.param
    if name == "fake":
        backend: AudioBackend = FakeAudioBackend(speakers={SPEAKER_UID: TONE_HZ})
        case = Harness(name, backend, dict(SCRIPTED_JOIN), speaker_uid=SPEAKER_UID)
    elif name == "agora-server-double":
        install_server_double(request.getfixturevalue("sdk_site"))
        case = Harness(name, load_backend("agora-server"), dict(SCRIPTED_JOIN), SPEAKER_UID)
    elif name == "agora-rtc-double":
        install_rtc_double(request.getfixturevalue("sdk_site"))
        case = Harness(name, load_backend("agora-rtc"), dict(SCRIPTED_JOIN), SPEAKER_UID)
    else:
        try:
            backend = load_backend(name)
        except AudioBackendUnavailable as exc:
            pytest.skip(f"{name}: {exc}")
        join = _real_join()
        if join is None:
            pytest.skip(f"{name}: set AIOCLUBHOUSE_AGORA_TOKEN, _CHANNEL and _UID to run")
        case = Harness(name, backend, join)
    yield case
    await case.backend.disconnect()
