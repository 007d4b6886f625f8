"""`recall up` (what `make run` runs): the whole stack from the environment, all of it
stopped by one SIGTERM or Ctrl-C (SIGINT) — and by the death of whoever started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import psutil
import pytest

from bot.processes import free_port
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.rasa


def listening(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
        return True
    except httpx.HTTPError:
        return False


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_up_serves_health_and_stops_everything(tmp_path, rasa_model, stop_signal):
    rasa_port, action_port, port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "ACTION_SERVER_PORT": str(action_port),
        "PORT": str(port),
        "RASA_TOKEN": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli.main", "up"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        health = None
        while time.monotonic() < deadline:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
                if health.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        assert health is not None and health.status_code == 200, health and health.text
        children = psutil.Process(process.pid).children(recursive=True)  # Rasa, the actions, the app
        process.send_signal(stop_signal)
        assert process.wait(30) is not None
        psutil.wait_procs(children, timeout=30)  # the servers have exited (or 30 s passed)
        assert not any(listening(p) for p in (rasa_port, action_port, port))
    finally:
        if process.poll() is None:
            process.kill()
