"""The global send rate: at most `rate` messages in any one-second window, per sender,
across every worker — the `limits` library's moving window, in Redis when REDIS_URL is
set (several workers, several machines), else in this process's memory."""

from __future__ import annotations

import time
from collections.abc import Callable

from limits import RateLimitItemPerSecond, storage, strategies


class SendRate:
    def __init__(self, rate: int, *, redis_url: str = "", key: str = "default",
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.time) -> None:
        if rate < 1:
            raise ValueError("the rate must be at least 1 message per second")
        self.item = RateLimitItemPerSecond(rate)
        self.key = key
        self.storage_uri = redis_url or "memory://"
        self._limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(self.storage_uri))
        self._sleep = sleep
        self._clock = clock

    def acquire(self) -> None:
        """Block until one more message may go out now."""
        while not self._limiter.hit(self.item, "recall-outreach", self.key):
            stats = self._limiter.get_window_stats(self.item, "recall-outreach", self.key)
            self._sleep(min(1.0, max(0.002, stats.reset_time - self._clock())))
