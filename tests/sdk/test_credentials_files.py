"""Credentials files are kept like an ssh key: private modes, no path followed to set one."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from aioclubhouse import auth
from aioclubhouse.auth import Credentials
from aioclubhouse.errors import InvalidArgumentError


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)


def saved(path: Path) -> Path:
    return Credentials(user_id=5, auth_token="file-token-123456", device_id="D-5").save(path)


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.parametrize("loose", [0o666, 0o644, 0o640, 0o604])
def test_a_file_others_can_read_loads_with_a_warning(
    tmp_path: Path, loose: int, caplog: pytest.LogCaptureFixture
) -> None:
    path = saved(tmp_path / "credentials.json")
    path.chmod(loose)
    with caplog.at_level(logging.WARNING, logger="aioclubhouse.auth"):
        loaded = Credentials.load(path)
    assert loaded.user_id == 5
    (record,) = [r for r in caplog.records if r.name == "aioclubhouse.auth"]
    assert record.levelno == logging.WARNING
    assert str(path) in record.getMessage() and f"{loose:04o}" in record.getMessage()
    assert "file-token-123456" not in caplog.text


def test_strict_permissions_refuse_a_file_others_can_read(tmp_path: Path) -> None:
    path = saved(tmp_path / "credentials.json")
    path.chmod(0o644)
    with pytest.raises(InvalidArgumentError, match="0644") as info:
        Credentials.load(path, strict_permissions=True)
    assert str(path) in str(info.value)
    path.chmod(0o600)
    assert Credentials.load(path, strict_permissions=True).user_id == 5


def test_a_private_file_loads_without_a_word(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = saved(tmp_path / "credentials.json")
    with caplog.at_level(logging.DEBUG, logger="aioclubhouse.auth"):
        Credentials.load(path)
    assert [r for r in caplog.records if r.name == "aioclubhouse.auth"] == []


def test_directories_are_created_private_under_an_open_umask(
    tmp_path: Path, open_umask: None
) -> None:
    path = saved(tmp_path / "config" / "aioclubhouse" / "credentials.json")
    assert mode_of(tmp_path / "config") == 0o700
    assert mode_of(tmp_path / "config" / "aioclubhouse") == 0o700
    assert mode_of(path) == 0o600


def test_an_existing_directory_keeps_its_mode(tmp_path: Path, open_umask: None) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    saved(shared / "credentials.json")
    assert mode_of(shared) == 0o755


def test_a_symlink_swapped_in_after_the_rename_is_not_chmodded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = tmp_path / "someone-elses-file"
    victim.write_text("not yours")
    victim.chmod(0o644)
    target = tmp_path / "credentials.json"
    real_replace = os.replace

    def replace_then_swap(source: str, destination: os.PathLike[str] | str) -> None:
        real_replace(source, destination)
        os.unlink(destination)
        os.symlink(victim, destination)  # an attacker wins the race after the rename

    monkeypatch.setattr(auth.os, "replace", replace_then_swap)
    saved(target)
    assert mode_of(victim) == 0o644
    assert target.is_symlink()


def test_the_written_file_was_private_before_it_had_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    modes: list[int] = []
    real_replace = os.replace

    def record_mode(source: str, destination: os.PathLike[str] | str) -> None:
        modes.append(mode_of(Path(source)))
        real_replace(source, destination)

    monkeypatch.setattr(auth.os, "replace", record_mode)
    path = saved(tmp_path / "credentials.json")
    assert modes == [0o600] and mode_of(path) == 0o600
