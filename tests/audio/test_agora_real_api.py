"""The Agora adapters and their stand-ins against the real packages' Python API.

The adapters are exercised against the doubles in ``doubles/`` (test_agora_adapters);
these tests close the loop by reading the real ``agora-python-server-sdk`` 2.4.10 and
``agora-python-sdk`` 3.1.2.10 (``agorartc``) sources by AST, never importing them:

* every module, class, method, dataclass field, enum member and constant a double
  defines exists in the real package, and methods take the same positional arguments;
* every callback the adapters override exists on the real observer base class and
  accepts the arguments the SDK calls it with.

So what the adapters call works on the doubles (the other tests), and the doubles
promise nothing the real packages lack (these ones). The sources come from an
installed package or from the archives the dev setup downloads (see sdk_sources).
"""

from __future__ import annotations

import ast
import inspect
import os
from pathlib import Path

import attrs
import pytest

from aioclubhouse.rooms.audio import (
    AudioConnectionError,
    Role,
    agora_rtc,
    agora_server,
    load_backend,
)
from aioclubhouse.rooms.audio.agora_server import AgoraServerSdk

from .conftest import DOUBLES, SCRIPTED_JOIN, install_server_double
from .sdk_sources import PackageApi, Signature, read_module, read_package, sdk_sources

SERVER_SDK = ("agora-python-server-sdk", "agora_python_server_sdk-2.4.10.tar.gz")
RTC_SDK = ("agora-python-sdk", "agora_python_sdk-3.1.2.10-*.whl")


def real_api(distribution: str, archive: str) -> PackageApi:
    sources = sdk_sources(distribution, archive)
    if sources is None:
        problem = (
            f"{distribution}: neither installed nor downloaded; `make test` downloads it "
            "into .venv/agora-api (or set AIOCLUBHOUSE_AGORA_API)"
        )
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    return read_package(sources)


@pytest.fixture(scope="module")
def server_sdk() -> PackageApi:
    return real_api(*SERVER_SDK)


@pytest.fixture(scope="module")
def rtc_sdk() -> PackageApi:
    return real_api(*RTC_SDK)


def double_modules(root: Path) -> dict[str, Path]:
    """The doubles' modules by the dotted name they stand for."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def disagreements_of_double(real: PackageApi, root: Path) -> list[str]:
    """Everything a double's module defines that the real package lacks or defines otherwise."""
    problems: list[str] = []
    for name, path in double_modules(root).items():
        if name.startswith("_"):
            continue  # stands for a compiled extension: no Python source to compare
        if name not in real.modules:
            problems.append(f"module {name} is not in the real package")
            continue
        double = read_module(path.read_text())
        module = real.modules[name]
        for constant in sorted(double.names - set(double.classes) - set(double.functions)):
            if constant.isupper() and constant not in module.names and not _scripted(constant):
                problems.append(f"{name}.{constant} is not in the real module")
        for function, signature in double.functions.items():
            real_function = module.functions.get(function)
            problems += _compare_call(f"{name}.{function}", signature, real_function)
        for cls in double.classes.values():
            actual = real.find_class(cls.name)
            if actual is None:
                problems.append(f"class {cls.name} ({name}) is not in the real package")
                continue
            for method, signature in cls.methods.items():
                if method.startswith("_"):
                    continue
                problems += _compare_call(
                    f"{cls.name}.{method}", signature, real.method(actual, method)
                )
            for field, value in cls.fields.items():
                if field not in actual.fields:
                    problems.append(f"{cls.name}.{field} is not a field of the real class")
                elif _is_enum(cls.bases) and actual.fields[field] != value:
                    problems.append(
                        f"{cls.name}.{field} is {actual.fields[field]!r} in the real enum, "
                        f"{value!r} in the double"
                    )
    return problems


SCRIPT_NAMES = {
    "CALLS",
    "SETTINGS",
    "SPEAKER_UID",
    "TONE_HZ",
    "FRAMES",
    "SAMPLE_RATE",
    "REJECTED_TOKEN",
    "NO_TRACK",
}
"""The doubles' own script: the channel they play, what they record, codes they answer."""


def _scripted(name: str) -> bool:
    return name in SCRIPT_NAMES


def _is_enum(bases: tuple[str, ...]) -> bool:
    return any(base.endswith("Enum") for base in bases)


def _compare_call(what: str, double: Signature, real: Signature | None) -> list[str]:
    if real is None:
        return [f"{what} is not in the real package"]
    if (double.required, len(double.names), double.varargs) != (
        real.required,
        len(real.names),
        real.varargs,
    ):
        return [f"{what} takes {double.names} in the double but {real.names} in the real package"]
    return []


def callback_disagreements(
    real: PackageApi, adapter: type, real_base: str, sdk_arguments: dict[str, int] | None = None
) -> list[str]:
    """Callbacks ``adapter`` overrides that the real ``real_base`` lacks or calls otherwise."""
    base = real.find_class(real_base)
    assert base is not None, f"{real_base} is not in the real package"
    problems = []
    for name, function in vars(adapter).items():
        if name.startswith("_") or not inspect.isfunction(function):
            continue
        declared = real.method(base, name)
        if declared is None:
            problems.append(f"{adapter.__name__}.{name}: {real_base} has no such callback")
            continue
        count = (sdk_arguments or {}).get(name, len(declared.names))
        parameters = list(inspect.signature(function).parameters.values())[1:]  # self
        positional = [p for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
        takes_rest = any(p.kind is p.VAR_POSITIONAL for p in parameters)
        if len(positional) > count or (len(positional) < count and not takes_rest):
            problems.append(
                f"{adapter.__name__}.{name} takes {len(positional)} arguments; "
                f"the SDK passes {count} ({', '.join(declared.names)})"
            )
    return problems


# -- agora-python-server-sdk 2.4.10 ---------------------------------------------------------


def test_the_modules_the_loader_imports_exist(server_sdk: PackageApi) -> None:
    wanted = [f"agora.rtc.{field.name}" for field in attrs.fields(AgoraServerSdk)]
    assert [name for name in wanted if name not in server_sdk.modules] == []


def test_the_server_sdk_double_promises_nothing_the_real_package_lacks(
    server_sdk: PackageApi,
) -> None:
    assert disagreements_of_double(server_sdk, DOUBLES / "server_sdk") == []


@pytest.mark.parametrize(
    ("adapter", "real_base"),
    [
        (agora_server._ConnectionCallbacks, "IRTCConnectionObserver"),
        (agora_server._LocalUserCallbacks, "IRTCLocalUserObserver"),
        (agora_server._AudioFrameCallbacks, "IAudioFrameObserver"),
    ],
)
def test_server_adapter_callbacks_match_the_real_observers(
    server_sdk: PackageApi, adapter: type, real_base: str
) -> None:
    assert callback_disagreements(server_sdk, adapter, real_base) == []


def test_server_adapter_reads_only_real_frame_and_volume_fields(server_sdk: PackageApi) -> None:
    source = inspect.getsource(agora_server)
    frame = server_sdk.find_class("AudioFrame")
    volume = server_sdk.find_class("AudioVolumeInfo")
    assert frame is not None and volume is not None
    read = _attributes_read(source, "frame") | _attributes_read(source, "info")
    assert read, "expected the adapter to read frame and volume fields"
    assert sorted(read - set(frame.fields) - set(volume.fields)) == []


def _attributes_read(source: str, variable: str) -> set[str]:
    """Attributes read from ``variable``, directly or through ``getattr(variable, "x", ...)``."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == variable:
                names.add(node.attr)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == variable
            and isinstance(node.args[1], ast.Constant)
        ):
            names.add(str(node.args[1].value))
    return names


# -- agora-python-sdk 3.1.2.10 (agorartc) ---------------------------------------------------


def test_the_rtc_double_promises_nothing_the_real_package_lacks(rtc_sdk: PackageApi) -> None:
    assert disagreements_of_double(rtc_sdk, DOUBLES / "rtc_sdk") == []


def test_the_engine_settings_the_rtc_double_accepts_are_real_methods(rtc_sdk: PackageApi) -> None:
    double = read_module((DOUBLES / "rtc_sdk" / "agorartc.py").read_text())
    settings = next(
        node.value
        for node in ast.walk(ast.parse((DOUBLES / "rtc_sdk" / "agorartc.py").read_text()))
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "SETTINGS" for t in node.targets)
    )
    names = ast.literal_eval(settings)
    engine = rtc_sdk.find_class("RtcEngineBridge")
    assert engine is not None and "RtcEngineBridge" in double.classes
    assert sorted(name for name in names if rtc_sdk.method(engine, name) is None) == []


@pytest.mark.parametrize(
    ("adapter", "real_base"),
    [
        (agora_rtc._EngineCallbacks, "RtcEngineEventHandlerBase"),
        (agora_rtc._FrameCallbacks, "AudioFrameObserver"),
    ],
)
def test_rtc_adapter_callbacks_match_the_real_directors(
    rtc_sdk: PackageApi, adapter: type, real_base: str
) -> None:
    assert callback_disagreements(rtc_sdk, adapter, real_base) == []


def test_the_real_connection_refuses_to_publish_without_an_audio_track(
    server_sdk: PackageApi,  # skips (or fails in CI) when the sources are not here
) -> None:
    """Why the adapter asks for a PCM track and checks what publish_audio answers."""
    sources = sdk_sources(*SERVER_SDK) or {}
    source = sources["agora.rtc.rtc_connection"]
    publish = next(
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef) and node.name == "publish_audio"
    )
    text = ast.unparse(publish)
    assert "ret = -1000" in text and "self._audio_track" in text


async def test_unmuting_publishes_on_the_track_and_a_refusal_raises(sdk_site: Path) -> None:
    install_server_double(sdk_site)
    backend = load_backend("agora-server")
    await backend.connect(**SCRIPTED_JOIN, role=Role.SPEAKER)
    await backend.set_muted(False)
    connection = backend._native  # type: ignore[attr-defined]
    assert connection.publish_config.is_publish_audio is True
    assert backend.muted is False
    connection.publish_config.is_publish_audio = False  # as if made without a track
    with pytest.raises(AudioConnectionError, match="-1000"):
        await backend.set_muted(True)
    assert backend.muted is False  # the state says what the SDK did, not what was asked
    await backend.disconnect()
