"""What the benchmarks share: one description of the machine, process figures (psutil),
servers started through `bot.processes` (`ChildServer`), and the Twilio simulator (which
talks over its pipes).

Imported by the benchmark scripts, which put this folder and the repository on `sys.path`.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psutil

if TYPE_CHECKING:
    from bot.processes import ChildServer

ROOT = Path(__file__).resolve().parent.parent
SIMULATOR = Path(__file__).resolve().parent / "gateway_support" / "sim_process.py"

# --------------------------------------------------------------------------------------
# The machine


def loadavg() -> list[str]:
    """The 1, 5 and 15 minute load averages, as /proc/loadavg shows them."""
    return [f"{value:.2f}" for value in os.getloadavg()]


def _cpu_model() -> str:
    """The CPU's model name (psutil has none: /proc/cpuinfo on Linux)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def _output(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def rasa_versions() -> dict[str, str]:
    """Rasa's and its interpreter's versions (.venv-rasa), for benchmarks that run Rasa."""
    python = str(ROOT / ".venv-rasa" / "bin" / "python")
    return {
        "rasa_python": _output([python, "-c", "import platform; print(platform.python_version())"]),
        "rasa": _output([python, "-c", "import rasa; print(rasa.__version__)"]),
    }


def machine(**extra: Any) -> dict[str, Any]:
    """The machine a benchmark ran on: cores, memory, CPU model, Python, platform, load."""
    return {
        "cores": psutil.cpu_count(logical=True),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_at_start": loadavg(),
        **extra,
    }


# --------------------------------------------------------------------------------------
# Process figures


def cpu_seconds(pid: int, *, tree: bool = True) -> float:
    """User + system CPU seconds of a process (with its descendants alive now, when
    `tree`: the action server's Sanic and `recall serve`'s workers run in children);
    0 when it is gone."""
    try:
        process = psutil.Process(pid)
        family = [process, *process.children(recursive=True)] if tree else [process]
    except psutil.Error:
        return 0.0
    total = 0.0
    for member in family:
        with contextlib.suppress(psutil.Error):
            times = member.cpu_times()
            total += times.user + times.system
    return total


def cpu_seconds_named(name: str) -> float:
    """User + system CPU seconds of every process called `name` (PostgreSQL's backends)."""
    total = 0.0
    for process in psutil.process_iter(["name", "cpu_times"]):
        times = process.info["cpu_times"]
        if process.info["name"] == name and times is not None:
            total += times.user + times.system
    return total


def pid_named(prefix: str) -> int | None:
    """The first process whose name starts with `prefix` (redis-server), if any."""
    return next((p.pid for p in psutil.process_iter(["name"]) if (p.info["name"] or "").startswith(prefix)), None)


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot (idle and iowait are not busy)."""
    times = psutil.cpu_times()
    total = sum(times)
    return total - times.idle - getattr(times, "iowait", 0.0), total


def rss_kb(pid: int | None = None) -> int:
    """Resident memory (kB) of a process now (default: this one); 0 when it is gone."""
    try:
        return psutil.Process(pid).memory_info().rss // 1024
    except psutil.Error:
        return 0


def reaped_peak_rss_kb(process: subprocess.Popen[Any]) -> int | None:
    """None while `process` runs; once it has exited, reap it (its `returncode` is set) and
    return its peak resident memory (kB): the kernel's ru_maxrss, which psutil does not read."""
    pid, status, usage = os.wait4(process.pid, os.WNOHANG)
    if pid == 0:
        return None
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss


def run_queue(pids: dict[str, int]) -> dict[str, tuple[float, float]]:
    """(seconds on a CPU, seconds waiting in the run queue) of each process's threads, from
    /proc/PID/task/*/schedstat (the run-queue wait is not among psutil's figures)."""
    out = {}
    for name, pid in pids.items():
        run = wait = 0.0
        for task in Path(f"/proc/{pid}/task").glob("*"):
            with contextlib.suppress(OSError, ValueError):
                fields = (task / "schedstat").read_text().split()
                run, wait = run + int(fields[0]) / 1e9, wait + int(fields[1]) / 1e9
        out[name] = (run, wait)
    return out


class CpuMeter:
    """CPU seconds each process (with its children) spent between start() and stop(), as
    cores used, and the machine's busy share. Processes that exit in between (postgres
    backends) are not counted."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids

    def _sample(self) -> dict[str, float]:
        sample = {name: cpu_seconds(pid, tree=pid != os.getpid()) for name, pid in self.pids.items()}
        sample["postgres (all)"] = cpu_seconds_named("postgres")
        return sample

    def start(self) -> None:
        self._t0, self._s0, self._m0 = time.monotonic(), self._sample(), machine_busy()

    def stop(self) -> dict[str, Any]:
        elapsed, s1, m1 = time.monotonic() - self._t0, self._sample(), machine_busy()
        busy = (m1[0] - self._m0[0]) / max(1e-9, m1[1] - self._m0[1])
        return {
            "seconds": round(elapsed, 1),
            "machine_busy": round(busy, 3),
            "cores_used": {k: round((s1[k] - self._s0.get(k, 0)) / elapsed, 2) for k in s1},
        }


# --------------------------------------------------------------------------------------
# Servers


def server(
    name: str,
    cmd: list[str],
    port: int,
    env: dict[str, str],
    *,
    log: str,
    nice: int = 0,
    cwd: Path = ROOT,
    ready_path: str = "/health",
) -> ChildServer:
    """A benchmark's own HTTP server (the app, the floor app, a bare Rasa), ready when
    GET `ready_path` on 127.0.0.1:`port` answers 200; its log is `log` (relative: under var/log/)."""
    from bot.processes import LOG_DIR, ChildServer  # here: bench_import's measured child imports this module

    return ChildServer(
        name=name,
        cmd=cmd,
        ready_url=f"http://127.0.0.1:{port}{ready_path}",
        env=env,
        log_path=LOG_DIR / log,
        nice=nice,
        cwd=cwd,
    )


@contextlib.contextmanager
def running(*servers: ChildServer, timeout: float = 180) -> Iterator[tuple[ChildServer, ...]]:
    """Start the servers, wait until each is ready, and stop them all on exit."""
    with contextlib.ExitStack() as stack:
        for each in servers:
            each.start()
            stack.callback(each.stop)
        for each in servers:
            each.wait_ready(timeout)
        yield servers


@contextlib.contextmanager
def simulator(config: dict[str, Any], *, nice: int = 0, text: bool = False) -> Iterator[tuple[subprocess.Popen, str]]:
    """gateway_support/sim_process.py, the local Twilio simulator in its own process: yields
    the process (its stdout carries one line per message, `R at phone direction length`)
    and its URL; it stops when its stdin closes."""
    process = subprocess.Popen(
        [sys.executable, str(SIMULATOR), json.dumps(config)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=(lambda: os.nice(nice)) if nice else None,
        text=text,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        ready = (first if isinstance(first, str) else first.decode()).split()
        if ready[:1] != ["READY"]:
            raise RuntimeError("the simulator did not start")
        yield process, ready[1]
    finally:
        with contextlib.suppress(Exception):
            process.stdin.close()  # type: ignore[union-attr]
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
