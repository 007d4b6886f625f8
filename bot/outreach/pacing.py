"""The global send rate: at most `rate` messages in any one-second window, per sender,
across every worker — the `limits` library's moving window, in Redis when REDIS_URL is
set (several workers, several machines), else in this process's memory.

Each worker also spaces its own sends at least 1/rate apart, so that a window that has
just emptied is not filled by one burst (a burst arrives at Twilio spread by network and
queueing jitter, and would straddle the next window). Both aim at 90% of `rate`
(`HEADROOM`): the requests reach Twilio a few milliseconds apart from when they were
counted here, and a window Twilio measures must still hold no more than `rate`.

Redis unreachable (REDIS_URL set): no silent fallback to this process's memory — with
several workers that would multiply the rate Twilio sees. `SendRate` checks Redis when
it is created and raises `PacingUnavailable` (what to do in the message); a Redis lost
mid-run raises it from `acquire`, which stops the run (resumable: run it again)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from limits import RateLimitItemPerSecond, storage, strategies

HEADROOM = 0.9


class PacingUnavailable(RuntimeError):
    """The shared rate limit (Redis at REDIS_URL) cannot be reached: nothing is sent."""


def _redis_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is installed with limits[redis]
        return ()
    return (RedisError,)


def _unavailable(uri: str, exc: BaseException | None = None) -> PacingUnavailable:
    why = f" ({exc.__class__.__name__}: {exc})" if exc is not None else ""
    return PacingUnavailable(
        f"Redis at REDIS_URL={uri} is not reachable{why}: the send rate shared by every worker cannot be "
        "enforced, so nothing is sent. Start Redis (or fix REDIS_URL) and run the command again; unset "
        "REDIS_URL only if this is the one process sending."
    )


class SendRate:
    def __init__(
        self,
        rate: int,
        *,
        redis_url: str = "",
        key: str = "default",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if rate < 1:
            raise ValueError("the rate must be at least 1 message per second")
        aimed = max(1, int(rate * HEADROOM))
        self.item = RateLimitItemPerSecond(aimed)
        self.key = key
        self.storage_uri = redis_url or "memory://"
        try:
            backend = storage.storage_from_string(self.storage_uri)
            reachable = backend.check()
        except Exception as exc:
            raise _unavailable(self.storage_uri, exc) from exc
        if not reachable:
            raise _unavailable(self.storage_uri)
        self._limiter = strategies.MovingWindowRateLimiter(backend)
        self._sleep = sleep
        self._clock = clock
        self._spacing = 1.0 / aimed
        self._next_local = 0.0
        self._local = threading.Lock()

    def acquire(self) -> None:
        """Block until one more message may go out now."""
        with self._local:
            now = self._clock()
            wait = self._next_local - now
            self._next_local = max(now, self._next_local) + self._spacing
        if wait > 0:
            self._sleep(wait)
        try:
            while not self._limiter.hit(self.item, "recall-outreach", self.key):
                stats = self._limiter.get_window_stats(self.item, "recall-outreach", self.key)
                self._sleep(min(1.0, max(0.002, stats.reset_time - self._clock())))
        except _redis_errors() as exc:
            raise _unavailable(self.storage_uri, exc) from exc
