"""What an index receives: the sdist and wheel built from this tree carry the licence, the
metadata and the PyPI description, and the declared dependency floors are the ones
``make test-floors`` installs."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.message import Message
from email.parser import HeaderParser
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
FLOORS = ROOT / "constraints" / "floors.txt"


def floor_pins() -> dict[str, str]:
    """``name==version`` lines of constraints/floors.txt, by name."""
    pins = {}
    for line in FLOORS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[name.strip().lower()] = version.strip()
    return pins


def lower_bound(requirement: Requirement) -> str:
    bounds = [spec.version for spec in requirement.specifier if spec.operator == ">="]
    assert len(bounds) == 1, f"{requirement}: declare exactly one lower bound"
    return bounds[0]


def test_every_runtime_dependency_has_its_floor_pinned_as_declared() -> None:
    declared = {
        Requirement(text).name.lower(): Requirement(text)
        for text in PYPROJECT["project"]["dependencies"]
    }
    pins = floor_pins()
    assert set(declared) <= set(pins), "a runtime dependency has no floor in floors.txt"
    for name, requirement in declared.items():
        # The pin may be written more precisely (3.11.0 for >=3.11) but must be the bound.
        assert pins[name].startswith(lower_bound(requirement)), name
        assert requirement.specifier.contains(pins[name]), name


def test_an_extra_with_a_floor_pinned_declares_that_floor() -> None:
    pins = floor_pins()
    extras = [
        Requirement(text)
        for requirements in PYPROJECT["project"]["optional-dependencies"].values()
        for text in requirements
    ]
    pinned = [r for r in extras if r.name.lower() in pins]
    assert pinned  # the transcribe extra's pocketsphinx
    for requirement in pinned:
        assert lower_bound(requirement) == pins[requirement.name.lower()], requirement.name


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from it, as ``python -m build`` makes them (offline:
    the backend comes from the dev group, not from the index)."""
    out = tmp_path_factory.mktemp("dist")
    completed = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return out


def wheel_file(dist: Path, suffix: str) -> bytes:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(suffix)]
        return archive.read(name)


def sdist_file(dist: Path, relative: str) -> bytes:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        (member,) = [m for m in archive.getmembers() if m.name.split("/", 1)[1:] == [relative]]
        extracted = archive.extractfile(member)
        assert extracted is not None
        return extracted.read()


def check_metadata(metadata: Message) -> None:
    assert metadata["Name"] == "aioclubhouse"
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert metadata["Requires-Python"] == ">=3.11"
    classifiers = metadata.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert not [c for c in classifiers if c.startswith("License ::")]  # the expression says it
    assert {"clubhouse", "asyncio"} <= set(metadata["Keywords"].split(","))
    assert metadata["Description-Content-Type"] == "text/markdown"
    runtime = [Requirement(text) for text in metadata.get_all("Requires-Dist") or []]
    plain = {r.name.lower(): lower_bound(r) for r in runtime if r.marker is None}
    assert plain == {
        Requirement(text).name.lower(): lower_bound(Requirement(text))
        for text in PYPROJECT["project"]["dependencies"]
    }
    assert not [r for r in runtime if r.marker and "dev" in str(r.marker)]  # no dev extra


def test_the_wheel_ships_the_licence_and_the_metadata(dist: Path) -> None:
    assert wheel_file(dist, ".dist-info/licenses/LICENSE") == (ROOT / "LICENSE").read_bytes()
    assert wheel_file(dist, "aioclubhouse/py.typed") == b""
    metadata = HeaderParser().parsestr(wheel_file(dist, ".dist-info/METADATA").decode())
    check_metadata(metadata)
    description = metadata.get_payload()
    assert isinstance(description, str)
    # The index page starts with how to install, not with the repository's make targets.
    first_code = description.split("```sh\n", 1)[1].splitlines()[0]
    assert first_code == "pip install aioclubhouse"
    assert "make " not in description
    assert "MIT" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_the_sdist_ships_the_licence_and_the_metadata(dist: Path) -> None:
    assert sdist_file(dist, "LICENSE") == (ROOT / "LICENSE").read_bytes()
    assert sdist_file(dist, "constraints/floors.txt") == FLOORS.read_bytes()
    check_metadata(HeaderParser().parsestr(sdist_file(dist, "PKG-INFO").decode()))


def test_the_readme_still_opens_with_the_make_targets() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    opening = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    assert opening.startswith("make demo") and "\nmake test" in opening
