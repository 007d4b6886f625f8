"""Benchmark only: `recall serve` with timers, for finding where the gateway spends time.

    BENCH_PROFILE_OUT=/tmp/app-profile.json python benchmarks/gateway_support/instrumented_serve.py --port 8000

(`bench_gateway.py --profile-app FILE` starts the app this way.) Nothing in bot/ is
changed; before the app is built this module wraps, in place:

- the gateway's database steps (store_inbound, apply_status, unprocessed, claim,
  mark_processed, ReplySender.deliver) and the Twilio create call (TwilioSender.send):
  wall time and the thread's CPU time of every call;
- `asyncio.to_thread`: how long each call waited for a free worker thread;
- RasaClient.turn and each HTTP request the app answers (wall time, by path);
- the event loop: how late a 10 ms timer fires (time the loop was blocked or busy);
- with BENCH_SAMPLE_STACKS=1, a sampler that records every thread's Python stack every
  5 ms, for the functions seen most often on the event loop and the worker threads (it
  needs the GIL, so it mostly sees the loop when it is idle, and it costs CPU itself).

BENCH_NO_PROCESSING=1 stores and acknowledges webhooks without processing them;
BENCH_SWITCH_INTERVAL=SECONDS sets the interpreter's GIL switch interval;
BENCH_DEFAULT_THREADS=N sizes the event loop's default thread pool.

With BENCH_CPROFILE_OUT=FILE, cProfile also runs on the event loop thread and inside
every `asyncio.to_thread` call (pstats written to FILE): much slower, for the shape only.

On exit (SIGTERM, after uvicorn's graceful shutdown) the figures are written as JSON to BENCH_PROFILE_OUT.
Timers and sampling cost time themselves: compare runs made the same way only.
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import contextlib
import functools
import json
import os
import signal
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

calls: dict[str, list[tuple[float, float]]] = collections.defaultdict(list)  # name -> (wall, cpu)
waits: dict[str, list[float]] = collections.defaultdict(list)  # to_thread queue waits by function
requests: dict[str, list[float]] = collections.defaultdict(list)
loop_lag: list[float] = []
statements: collections.Counter[str] = collections.Counter()  # SQL statements by kind and caller
samples: dict[str, collections.Counter[str]] = {"loop": collections.Counter(), "workers": collections.Counter()}
leaves: dict[str, collections.Counter[str]] = {"loop": collections.Counter(), "workers": collections.Counter()}
sample_counts = {"loop": 0, "workers": 0}
_lock = threading.Lock()
_main_thread = threading.main_thread().ident


def _record(name: str, wall: float, cpu: float) -> None:
    with _lock:
        calls[name].append((wall, cpu))


def timed_sync(name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        w0, c0 = time.perf_counter(), time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            _record(name, time.perf_counter() - w0, time.thread_time() - c0)

    return wrapper


def timed_async(name: str, fn):
    @functools.wraps(fn)
    async def wrapper(*args, **kwargs):
        w0 = time.perf_counter()
        try:
            return await fn(*args, **kwargs)
        finally:
            _record(name, time.perf_counter() - w0, 0.0)

    return wrapper


_original_to_thread = asyncio.to_thread
CPROFILE = os.environ.get("BENCH_CPROFILE_OUT")  # also profile every call (slow): pstats file
_profiles: list[Any] = []
_local = threading.local()


def _thread_profile():
    profile = getattr(_local, "profile", None)
    if profile is None:
        import cProfile

        profile = _local.profile = cProfile.Profile()
        with _lock:
            _profiles.append(profile)
    return profile


async def to_thread(func, /, *args, **kwargs):
    submitted = time.perf_counter()
    name = getattr(func, "__qualname__", repr(func))

    def run():
        with _lock:
            waits[name].append(time.perf_counter() - submitted)
        if not CPROFILE:
            return func(*args, **kwargs)
        profile = _thread_profile()
        profile.enable()
        try:
            return func(*args, **kwargs)
        finally:
            profile.disable()

    return await _original_to_thread(run)


def install() -> None:
    from bot.gateway import handling, processor, webhooks
    from bot.messaging.rasa import RasaClient
    from bot.messaging.replies import ReplySender
    from bot.twilio.sender import TwilioSender

    asyncio.to_thread = to_thread  # type: ignore[assignment]
    if hasattr(webhooks, "_in_webhook_thread"):  # the webhooks' own threads: their queue wait too
        in_webhook_thread = webhooks._in_webhook_thread

        async def waited(request, fn, *args):
            submitted = time.perf_counter()
            name = "webhook thread: " + getattr(fn, "__qualname__", repr(fn))

            def run(*inner):
                with _lock:
                    waits[name].append(time.perf_counter() - submitted)
                return fn(*inner)

            return await in_webhook_thread(request, run, *args)

        webhooks._in_webhook_thread = waited
    webhooks.store_inbound = timed_sync("store_inbound", webhooks.store_inbound)
    webhooks.apply_status = timed_sync("apply_status", webhooks.apply_status)
    for name in ("next_unprocessed", "unprocessed"):
        if hasattr(processor, name):
            setattr(processor, name, timed_sync(name, getattr(processor, name)))
    processor.customers_with_backlog = timed_sync("customers_with_backlog", processor.customers_with_backlog)
    handling.claim = timed_sync("claim", handling.claim)
    handling.mark_processed = timed_sync("mark_processed", handling.mark_processed)
    ReplySender.deliver = timed_sync("ReplySender.deliver", ReplySender.deliver)
    TwilioSender.send = timed_sync("TwilioSender.send (HTTP to Twilio)", TwilioSender.send)
    RasaClient.turn = timed_async("RasaClient.turn (HTTP to Rasa)", RasaClient.turn)

    if os.environ.get("BENCH_NO_PROCESSING"):  # investigation: store and acknowledge only
        from bot.gateway.processor import Processor

        Processor.notify = lambda self, customer_id: None  # type: ignore[method-assign]
    if os.environ.get("BENCH_SWITCH_INTERVAL"):  # investigation: the GIL's switch interval
        sys.setswitchinterval(float(os.environ["BENCH_SWITCH_INTERVAL"]))

    from bot import web as app_module

    create_app = app_module.create_app

    def instrumented_create_app(*args, **kwargs):
        app = create_app(*args, **kwargs)

        @app.middleware("http")
        async def timing(request, call_next):
            t0 = time.perf_counter()
            response = await call_next(request)
            with _lock:
                requests[request.url.path].append(time.perf_counter() - t0)
            return response

        original_lifespan = app.router.lifespan_context

        @contextlib.asynccontextmanager
        async def lifespan(app):
            async def watch() -> None:
                while True:
                    t0 = time.perf_counter()
                    await asyncio.sleep(0.01)
                    loop_lag.append(time.perf_counter() - t0 - 0.01)

            if os.environ.get("BENCH_DEFAULT_THREADS"):  # investigation: the default pool's size
                from concurrent.futures import ThreadPoolExecutor

                asyncio.get_running_loop().set_default_executor(
                    ThreadPoolExecutor(int(os.environ["BENCH_DEFAULT_THREADS"]))
                )
            async with original_lifespan(app) as state:
                task = asyncio.create_task(watch())
                if CPROFILE:
                    _thread_profile().enable()  # the event loop thread
                yield state
                if CPROFILE:
                    _thread_profile().disable()
                task.cancel()

        app.router.lifespan_context = lifespan
        return app

    app_module.create_app = instrumented_create_app

    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.pool import Pool

    @event.listens_for(Engine, "before_cursor_execute")
    def count_statement(conn, cursor, statement, parameters, context, executemany):
        words = statement.split()
        table = next((words[i + 1] for i, w in enumerate(words[:-1]) if w.upper() in ("FROM", "INTO", "UPDATE")), "")
        with _lock:
            statements[f"{words[0] if words else '?'} {table}".strip()] += 1

    @event.listens_for(Pool, "checkout")
    def count_checkout(dbapi_connection, record, proxy):
        with _lock:
            statements["(pool checkout)"] += 1

    @event.listens_for(Engine, "commit")
    def count_commit(conn):
        with _lock:
            statements["(commit)"] += 1

    @event.listens_for(Engine, "rollback")
    def count_rollback(conn):
        with _lock:
            statements["(rollback)"] += 1

    import bot.cli.serve as serve_module

    serve_module.create_app = instrumented_create_app
    if os.environ.get("BENCH_SAMPLE_STACKS"):
        threading.Thread(target=_sampler, daemon=True, name="sampler").start()


def _sampler() -> None:
    me = threading.get_ident()
    while True:
        time.sleep(0.005)
        for ident, frame in sys._current_frames().items():
            if ident == me:
                continue
            kind = "loop" if ident == _main_thread else "workers"
            seen = set()
            leaf = None
            depth = 0
            while frame is not None and depth < 80:
                code = frame.f_code
                key = f"{Path(code.co_filename).name}:{code.co_name}"
                leaf = leaf or key
                seen.add(key)
                frame = frame.f_back
                depth += 1
            if kind == "workers" and "thread.py:run" not in seen:
                continue  # an idle pool thread (or another waiting thread)
            with _lock:
                sample_counts[kind] += 1
                samples[kind].update(seen)
                leaves[kind][leaf or "?"] += 1


def _ms(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def q(p: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 2)

    return {
        "n": len(values),
        "mean": round(1000 * statistics.fmean(values), 2),
        "p50": q(50),
        "p95": q(95),
        "p99": q(99),
        "max": round(1000 * ordered[-1], 2),
        "total_s": round(sum(values), 2),
    }


def dump() -> None:
    out = os.environ.get("BENCH_PROFILE_OUT")
    if not out:
        return
    with _lock:
        report: dict[str, Any] = {
            "calls": {
                name: {"wall_ms": _ms([w for w, _ in v]), "cpu_ms": _ms([c for _, c in v])} for name, v in calls.items()
            },
            "to_thread_wait_ms": {name: _ms(v) for name, v in waits.items()},
            "requests_ms": {path: _ms(v) for path, v in requests.items()},
            "loop_lag_ms": _ms(loop_lag),
            "statements": dict(statements.most_common()),
            "samples": {
                kind: {
                    "count": sample_counts[kind],
                    "top_inclusive": [
                        (k, round(n / max(1, sample_counts[kind]), 3)) for k, n in samples[kind].most_common(60)
                    ],
                    "top_leaves": [
                        (k, round(n / max(1, sample_counts[kind]), 3)) for k, n in leaves[kind].most_common(25)
                    ],
                }
                for kind in samples
            },
        }
    Path(out).write_text(json.dumps(report, indent=1) + "\n")
    if CPROFILE and _profiles:
        import pstats

        for profile in _profiles:
            with contextlib.suppress(ValueError):
                profile.disable()
        stats = pstats.Stats(_profiles[0])
        for profile in _profiles[1:]:
            stats.add(profile)
        stats.dump_stats(CPROFILE)


def _on_sigterm(signum, frame) -> None:
    # uvicorn shuts down gracefully, puts this handler back and raises SIGTERM again.
    dump()
    os._exit(0)


if __name__ == "__main__":
    install()
    atexit.register(dump)
    signal.signal(signal.SIGTERM, _on_sigterm)
    from bot.cli.main import cli

    cli(["serve", *sys.argv[1:]])
