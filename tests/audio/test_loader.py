"""load_backend: the refusals when an Agora SDK cannot run, and the guarded import."""

from __future__ import annotations

import importlib.util
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

from aioclubhouse.errors import ClubhouseError, InvalidArgumentError
from aioclubhouse.rooms.audio import AudioBackendUnavailable, load_backend
from aioclubhouse.rooms.audio.agora_rtc import AgoraRtcBackend
from aioclubhouse.rooms.audio.agora_server import AgoraServerBackend

from .conftest import SDK_MODULE_ROOTS, add_native_files, install_rtc_double, install_server_double


def sdk_modules_loaded() -> list[str]:
    return [name for name in sys.modules if name.split(".")[0] in SDK_MODULE_ROOTS]


def write_package(site: Path, init_source: str) -> Path:
    package = site / "agora"
    package.mkdir()
    (package / "__init__.py").write_text(init_source)
    return package


def test_an_unknown_backend_name_is_refused() -> None:
    with pytest.raises(InvalidArgumentError) as refused:
        load_backend("webrtc")
    assert refused.value.field == "name"


def test_the_error_is_a_clubhouse_error() -> None:
    assert issubclass(AudioBackendUnavailable, ClubhouseError)


# -- agora-python-server-sdk ---------------------------------------------------------------------


def test_server_sdk_not_installed(sdk_site: Path) -> None:
    if importlib.util.find_spec("agora") is not None:
        pytest.skip("an agora package is installed here")
    with pytest.raises(
        AudioBackendUnavailable, match=r"not installed.*pip install agora-python-server-sdk"
    ):
        load_backend("agora-server")


def test_the_empty_directory_a_failed_build_leaves_is_not_an_install(sdk_site: Path) -> None:
    (sdk_site / "agora").mkdir()
    with pytest.raises(AudioBackendUnavailable, match=r"libagora_rtc_sdk\.so|libAgoraRtcKit"):
        load_backend("agora-server")


def test_a_package_without_its_native_files_is_not_imported(sdk_site: Path) -> None:
    marker = sdk_site / "imported"
    write_package(sdk_site, f"open({str(marker)!r}, 'w').close()\n")
    with pytest.raises(AudioBackendUnavailable) as refused:
        load_backend("agora-server")
    assert "would try to download" in str(refused.value)
    assert "version.txt" in str(refused.value)
    assert not marker.exists()
    assert sdk_modules_loaded() == []


def test_an_import_that_exits_the_interpreter_is_caught_and_tls_restored(sdk_site: Path) -> None:
    tls_default = ssl._create_default_https_context
    package = write_package(
        sdk_site,
        "import ssl, sys\n"
        "ssl._create_default_https_context = ssl._create_unverified_context\n"
        "sys.exit(1)\n",
    )
    add_native_files(package)
    with pytest.raises(AudioBackendUnavailable, match="SystemExit") as refused:
        load_backend("agora-server")
    assert isinstance(refused.value.__cause__, SystemExit)
    assert ssl._create_default_https_context is tls_default
    assert sdk_modules_loaded() == []


@pytest.mark.skipif(sys.platform != "linux", reason="loads a placeholder .so the Linux way")
def test_a_native_library_that_will_not_load_is_caught(sdk_site: Path) -> None:
    """What the real package does: CDLL raises OSError, its handler calls sys.exit(1)."""
    package = install_server_double(sdk_site)
    (package / "rtc" / "__init__.py").write_text(
        "import ctypes, os, sys\n"
        "library = os.path.join(os.path.dirname(__file__), '..', 'agora_sdk', 'libaosl.so')\n"
        "try:\n"
        "    ctypes.CDLL(library)\n"
        "except OSError:\n"
        "    sys.exit(1)\n"
    )
    with pytest.raises(AudioBackendUnavailable) as refused:
        load_backend("agora-server")
    assert isinstance(refused.value.__cause__, SystemExit)
    assert sdk_modules_loaded() == []


def test_an_offline_download_error_at_import_is_caught(sdk_site: Path) -> None:
    package = write_package(
        sdk_site,
        "import urllib.error\nraise urllib.error.URLError('[Errno 111] Connection refused')\n",
    )
    add_native_files(package)
    with pytest.raises(AudioBackendUnavailable, match="URLError"):
        load_backend("agora-server")
    assert sdk_modules_loaded() == []


def test_ctrl_c_during_the_import_still_stops_the_program(sdk_site: Path) -> None:
    tls_default = ssl._create_default_https_context
    package = write_package(
        sdk_site,
        "import ssl\n"
        "ssl._create_default_https_context = ssl._create_unverified_context\n"
        "raise KeyboardInterrupt\n",
    )
    add_native_files(package)
    with pytest.raises(KeyboardInterrupt):
        load_backend("agora-server")
    assert ssl._create_default_https_context is tls_default
    assert sdk_modules_loaded() == []


def test_a_working_server_sdk_loads_and_tls_stays_verified(sdk_site: Path) -> None:
    tls_default = ssl._create_default_https_context
    install_server_double(sdk_site)
    backend = load_backend("agora-server", sample_rate=48000)
    assert isinstance(backend, AgoraServerBackend)
    assert backend.sample_rate == 48000
    assert "agora.rtc.agora_service" in sys.modules
    assert ssl._create_default_https_context is tls_default  # the package had switched it off


def test_adapter_options_are_checked(sdk_site: Path) -> None:
    install_server_double(sdk_site)
    with pytest.raises(InvalidArgumentError) as refused:
        load_backend("agora-server", sample_rate=22050)
    assert refused.value.field == "sample_rate"


# -- agora-python-sdk (agorartc) -----------------------------------------------------------------


def test_agorartc_not_installed(sdk_site: Path) -> None:
    if importlib.util.find_spec("agorartc") is not None:
        pytest.skip("agorartc is installed here")
    with pytest.raises(AudioBackendUnavailable, match="Windows or macOS"):
        load_backend("agora-rtc")


def test_agorartc_without_its_extension_is_not_imported(sdk_site: Path) -> None:
    install_rtc_double(sdk_site, extension=False)
    with pytest.raises(AudioBackendUnavailable, match="_agorartc"):
        load_backend("agora-rtc")
    assert sdk_modules_loaded() == []


def test_agorartc_whose_native_sdk_fails_to_load_is_caught(sdk_site: Path) -> None:
    (sdk_site / "_agorartc.py").write_text(
        "raise ImportError('DLL load failed: agora_rtc_sdk.dll')\n"
    )
    (sdk_site / "agorartc.py").write_text("import _agorartc\n")
    with pytest.raises(AudioBackendUnavailable, match="DLL load failed"):
        load_backend("agora-rtc")
    assert sdk_modules_loaded() == []


def test_a_working_agorartc_loads(sdk_site: Path) -> None:
    install_rtc_double(sdk_site)
    backend = load_backend("agora-rtc", channel_profile="communication")
    assert isinstance(backend, AgoraRtcBackend)
    assert backend.channel_profile == "communication"


# -- importing the adapters ---------------------------------------------------------------------


def test_the_adapters_import_without_any_agora_package() -> None:
    code = (
        "import sys\n"
        "import aioclubhouse.rooms.audio.agora_server, aioclubhouse.rooms.audio.agora_rtc\n"
        "import aioclubhouse.rooms.audio.loader\n"
        "roots = ('agora', 'agorartc', '_agorartc')\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in roots]\n"
        "assert loaded == [], loaded\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert finished.returncode == 0, finished.stderr
