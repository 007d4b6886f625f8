"""A daemon thread that loops until stopped: the shape shared by the worker's wake-ups
and its periodic outreach pass."""

from __future__ import annotations

import threading


class BackgroundLoop:
    """Subclasses implement `_run`, returning when `self._stop` is set."""

    def __init__(self, name: str) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        raise NotImplementedError
