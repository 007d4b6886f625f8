"""CPU figures of the stack's processes for the fault tests (psutil)."""

from __future__ import annotations

import psutil


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (not its children); 0 when it is gone."""
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


def children(pid: int) -> list[int]:
    """The process's direct children, by pid; none when it is gone."""
    try:
        return sorted(child.pid for child in psutil.Process(pid).children())
    except psutil.Error:
        return []
