"""Waking the gateway worker when the web process has stored a message.

The web process and the worker are separate processes (so that acknowledging a webhook
never shares an interpreter lock or an event loop with the dialogue work). On
PostgreSQL the statement that stores a message also calls `pg_notify('recall_inbound')`
(`inbound._store_postgres`), delivered when it commits, and the worker LISTENs; a slow poll covers notifications lost while the
worker's connection was down. SQLite has no notifications: the worker polls often.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.engine import make_url

from bot.background import BackgroundLoop

log = logging.getLogger(__name__)

CHANNEL = "recall_inbound"
POLL_SECONDS_POSTGRES = 2.0  # safety net only: notifications do the work
POLL_SECONDS_SQLITE = 0.05


def _libpq_url(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class InboundWakeups(BackgroundLoop):
    """Calls `wake()` (from its own thread) on every notification and every poll interval."""

    def __init__(self, database_url: str, wake: Callable[[], None]) -> None:
        super().__init__("inbound-wakeups")
        self.database_url = database_url
        self.wake = wake
        self.postgres = make_url(database_url).get_backend_name() == "postgresql"

    def _run(self) -> None:
        if not self.postgres:
            while not self._stop.wait(POLL_SECONDS_SQLITE):
                self.wake()
            return
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as exc:  # noqa: BLE001 - the server went away: poll, then listen again
                log.warning("LISTEN %s failed (%s); polling until it is back", CHANNEL, exc)
                self.wake()
                self._stop.wait(POLL_SECONDS_POSTGRES)

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(_libpq_url(self.database_url), autocommit=True) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self.wake()  # anything stored before we listened
            while not self._stop.is_set():
                for _ in connection.notifies(timeout=POLL_SECONDS_POSTGRES, stop_after=1):
                    pass
                self.wake()  # a notification, or the poll interval passed
