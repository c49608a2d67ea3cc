"""The `pubnub` package logs every failed request at ERROR; the realtime link turns a
reconnect storm into one counted warning of its own, at most once a minute."""

from __future__ import annotations

import logging
import socket

import pytest

from aioclubhouse.rooms.realtime import RealtimeAccess, RealtimePool
from aioclubhouse.rooms.realtime.package_logs import PackageLogFilter, route_package_logs

from ..reliability.realtime_script import QUICK, Recorder
from ..support.waiting import until

OURS = "aioclubhouse.realtime"


def reports(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == OURS and r.levelno == logging.WARNING and "pubnub package" in r.getMessage()
    ]


def test_library_errors_become_one_counted_warning_per_interval(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [1000.0]
    storm = PackageLogFilter(interval=60.0, clock=lambda: now[0])
    library = logging.getLogger("pubnub.test-storm")
    library.addFilter(storm)
    try:
        for attempt in range(10):
            library.error("session.request exception: attempt %d", attempt)
            now[0] += 5
        library.debug("a debug line passes")
        now[0] += 60
        library.error("session.request exception: the last")
    finally:
        library.removeFilter(storm)

    assert [r.name for r in caplog.records if r.name.startswith("pubnub")] == []
    first, second = reports(caplog)
    assert "reported 1 request failure(s)" in first and "attempt 0" in first
    assert "reported 10 request failure(s) in the last 110 s" in second
    assert "the last" in second
    assert storm.reports == 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_reconnect_storm_reads_as_one_warning(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    storm = route_package_logs()  # the filter the pool installs, once per process
    monkeypatch.setattr(storm, "_reported_at", None)  # a fresh minute, nothing held
    monkeypatch.setattr(storm, "_held", 0)
    caplog.set_level(logging.DEBUG, logger="pubnub")
    caplog.set_level(logging.DEBUG, logger=OURS)
    pool = RealtimePool(QUICK)
    nowhere = RealtimeAccess(
        origin=f"127.0.0.1:{free_port()}", ssl=False, auth_token="token-x", user_id=1
    )
    # The long-polls are sent by the link itself; the presence heartbeat goes through
    # the package's handler, which logs its failure at ERROR.
    pool.subscribe(nowhere, ["channel_all.x"], Recorder(), presence=["channel_all.x"])
    try:
        await until(
            lambda: (
                any("(attempt 10)" in r.getMessage() for r in caplog.records)
                and any(
                    r.getMessage().startswith("presence heartbeat failed") for r in caplog.records
                )
            ),
            what="ten failed attempts and a failed heartbeat",
        )
    finally:
        await pool.close()
    library_lines = [
        r for r in caplog.records if r.name == "pubnub" and r.levelno >= logging.WARNING
    ]
    assert library_lines == []
    [report] = reports(caplog)
    assert "reported 1 request failure(s)" in report
