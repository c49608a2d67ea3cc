"""The ``pubnub`` package's log lines, routed so that an outage reads as one warning.

The package logs every failed request at ERROR (``session.request exception: ...``)
and the realtime link retries forever, so a server that is down for two minutes
would fill a log with hundreds of library errors that say nothing the link does not
already handle.  :func:`route_package_logs` installs a filter on the ``pubnub``
logger that holds back its warnings and errors, counts them, and reports them as
one WARNING of the ``aioclubhouse.realtime`` logger at most every
:data:`REPORT_INTERVAL` seconds: how many there were and the latest one (scrubbed
of live secrets, like every SDK log line).  Its debug and info lines pass through
unchanged, scrubbed too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from ...redaction import get_logger

__all__ = ["REPORT_INTERVAL", "PackageLogFilter", "route_package_logs"]

REPORT_INTERVAL = 60.0
MAX_QUOTED = 200
"""Characters of the latest library message quoted in the report."""

log = get_logger("aioclubhouse.realtime")


class PackageLogFilter(logging.Filter):
    """Turns the package's warnings and errors into a counted, rate-limited warning."""

    def __init__(
        self, interval: float = REPORT_INTERVAL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.interval = interval
        self._clock = clock
        self._held = 0
        self._latest = ""
        self._reported_at: float | None = None
        self.reports = 0
        """How many warnings this filter has written (for tests and monitoring)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        self._held += 1
        try:
            self._latest = record.getMessage()[:MAX_QUOTED]
        except Exception:  # a broken format string in the library
            self._latest = str(record.msg)[:MAX_QUOTED]
        now = self._clock()
        if self._reported_at is None or now - self._reported_at >= self.interval:
            self._report(now)
        return False

    def _report(self, now: float) -> None:
        since = "" if self._reported_at is None else f" in the last {now - self._reported_at:.0f} s"
        log.warning(
            "the pubnub package reported %d request failure(s)%s (the realtime link "
            "retries by itself); latest: %s",
            self._held,
            since,
            self._latest,
        )
        self.reports += 1
        self._held = 0
        self._reported_at = now


_installed: PackageLogFilter | None = None


def route_package_logs() -> PackageLogFilter:
    """Install the filter on the ``pubnub`` logger (once per process) and return it."""
    global _installed
    logger = get_logger("pubnub")  # its debug lines show request URLs: scrubbed too
    if _installed is None or _installed not in logger.filters:
        _installed = PackageLogFilter()
        logger.addFilter(_installed)
    return _installed
