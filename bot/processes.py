"""The dialogue engine's processes: training the Rasa model and running the Rasa server
(.venv-rasa) and the custom action server (.venv) as children of our own process.

Used by the tests, the demo and `make run`. Both servers bind to 127.0.0.1; Rasa's HTTP
API is protected by a token.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.settings import PROJECT_ROOT

RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"
MODELS_DIR = PROJECT_ROOT / "models"
LOG_DIR = PROJECT_ROOT / "var" / "log"
RASA_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "PYTHONWARNINGS": "ignore",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}


def die_with_parent() -> None:
    """Linux: have the kernel send SIGTERM to this process when its parent dies, so that
    no server outlives the command that started it (a no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


# How much lower the scheduling priority of the dialogue's processes (Rasa, the action
# server, the gateway worker) is than the web application's (BACKGROUND_NICE in the
# settings). On a busy machine the webhook's acknowledgement then waits for no turn:
# Twilio gives up on a webhook after 15 s; a customer's reply may take a moment longer.
BACKGROUND_NICE = 5


class StartupError(RuntimeError):
    """A server did not become ready; the message carries the end of its log."""


# Ports for our own servers are drawn below the kernel's ephemeral range (32768-60999 on
# Linux), which outgoing connections take their local ports from: a port picked there
# can be taken by some connection before the server binds it.
LISTEN_PORTS = range(20000, 32000)


def free_port(count: int = 1, attempts: int = 200) -> int:
    """The first of `count` consecutive ports free to listen on at 127.0.0.1 (Rasa's
    replicas take RASA_URL's port and upward)."""
    rng = secrets.SystemRandom()
    for _ in range(attempts):
        first = rng.randrange(LISTEN_PORTS.start, LISTEN_PORTS.stop - count)
        sockets: list[socket.socket] = []
        try:
            for port in range(first, first + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError(f"no {count} consecutive free ports in {LISTEN_PORTS.start}-{LISTEN_PORTS.stop - 1}")


def latest_model(models_dir: Path = MODELS_DIR) -> Path | None:
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def train_model(models_dir: Path = MODELS_DIR, *, quiet: bool = True) -> Path:
    """Train the Rasa model if data, domain or config changed since the newest model
    (Rasa compares fingerprints and keeps the old model otherwise)."""
    models_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        str(RASA_BIN),
        "train",
        "--out",
        str(models_dir),
        "--domain",
        "domain.yml",
        "--config",
        "config.yml",
        "--data",
        "data",
    ]
    result = subprocess.run(cmd, cwd=PROJECT_ROOT, env={**os.environ, **RASA_ENV}, capture_output=quiet, text=True)
    model = latest_model(models_dir)
    if result.returncode != 0 or model is None:
        tail = (result.stdout or "")[-3000:] + (result.stderr or "")[-3000:] if quiet else ""
        raise StartupError(f"rasa train failed (exit {result.returncode})\n{tail}")
    return model


def _tail(path: Path, size: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-size:]
    except FileNotFoundError:
        return ""


@dataclass
class ChildServer:
    """One child process with its log file and a readiness URL."""

    name: str
    cmd: list[str]
    ready_url: str | None  # None: ready once started (a process that serves no HTTP)
    env: dict[str, str]
    log_path: Path
    nice: int = 0  # added to the child's nice value (lower priority)
    cwd: Path = PROJECT_ROOT
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def _in_child(self) -> None:
        die_with_parent()
        if self.nice:
            os.nice(self.nice)

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.cmd,
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=self._in_child,
        )
        log.close()

    def wait_ready(self, timeout: float, *, interval: float = 0.2) -> float:
        assert self.process is not None
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise StartupError(f"{self.name} exited with {self.process.returncode}:\n{_tail(self.log_path)}")
            if self.ready_url is None:
                return time.monotonic() - started
            try:
                if httpx.get(self.ready_url, timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(interval)
        raise StartupError(f"{self.name} not ready after {timeout:.0f} s:\n{_tail(self.log_path)}")

    def stop(self, timeout: float = 15) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)


def action_server(
    port: int,
    database_url: str,
    log_dir: Path = LOG_DIR,
    *,
    nice: int = BACKGROUND_NICE,
    public_base_url: str | None = None,
) -> ChildServer:
    """`public_base_url`: where the app is reached from outside (the campaign's pictures the
    actions send, e.g. the serial label's); default: PUBLIC_BASE_URL of the environment."""
    env = {**os.environ, "DATABASE_URL": database_url, "SANIC_HOST": "127.0.0.1", "PYTHONWARNINGS": "ignore"}
    if public_base_url:
        env["PUBLIC_BASE_URL"] = public_base_url
    return ChildServer(
        name="action server",
        cmd=[sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port), "--quiet"],
        ready_url=f"http://127.0.0.1:{port}/health",
        env=env,
        log_path=log_dir / f"actions-{port}.log",
        nice=nice,
    )


def gateway_worker(
    env: dict[str, str], log_dir: Path = LOG_DIR, *, nice: int = BACKGROUND_NICE, index: int = 1
) -> ChildServer:
    """`recall worker`: processes the messages the web application stored."""
    return ChildServer(
        name=f"gateway worker {index}",
        cmd=[sys.executable, "-m", "bot.cli.main", "worker"],
        ready_url=None,
        env=env,
        log_path=log_dir / f"worker-{os.getpid()}-{index}.log",
        nice=nice,
    )


class ChildWatch:
    """Notices when one of the children exits on its own: a thread calls `on_exit(child)`
    once, for the first one (`recall up` then stops everything and exits with an error,
    so that its supervisor restarts the whole stack)."""

    def __init__(
        self, children: list[ChildServer], on_exit: Callable[[ChildServer], None], interval: float = 1.0
    ) -> None:
        self.children = children
        self.on_exit = on_exit
        self.interval = interval
        self.exited: ChildServer | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="child-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for child in self.children:
                if child.process is not None and child.process.poll() is not None:
                    self.exited = child
                    self.on_exit(child)
                    return


def rasa_server(
    port: int,
    action_port: int,
    token: str,
    model: Path,
    *,
    endpoints: Path | None = None,
    log_dir: Path = LOG_DIR,
    extra_env: dict[str, str] | None = None,
    nice: int = BACKGROUND_NICE,
) -> ChildServer:
    env = {**os.environ, **RASA_ENV, "ACTION_SERVER_PORT": str(action_port), **(extra_env or {})}
    return ChildServer(
        name="Rasa server",
        cmd=[
            str(RASA_BIN),
            "run",
            "--enable-api",
            f"--auth-token={token}",
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
            "--model",
            str(model),
            "--endpoints",
            str(endpoints or PROJECT_ROOT / "endpoints.yml"),
            "--credentials",
            str(PROJECT_ROOT / "credentials.yml"),
        ],
        ready_url=f"http://127.0.0.1:{port}/status?token={token}",
        env=env,
        log_path=log_dir / f"rasa-{port}.log",
        nice=nice,
    )


@contextlib.contextmanager
def nlu_parser(model: Path, *, ready_seconds: float = 240) -> Iterator[Callable[[str], dict]]:
    """A Rasa server on `model` for NLU only (no action server): `parse(text)` is its
    `/model/parse` answer (intent, ranking, entities) for a text. For the held-out checks."""
    token = secrets.token_urlsafe(12)
    server = rasa_server(free_port(), free_port(), token, model)
    server.start()
    try:
        server.wait_ready(ready_seconds)
        base = server.ready_url.split("/status")[0]
        with httpx.Client(timeout=30) as client:

            def parse(text: str) -> dict:
                response = client.post(f"{base}/model/parse", params={"token": token}, json={"text": text})
                response.raise_for_status()
                return response.json()

            yield parse
    finally:
        server.stop()


@dataclass(frozen=True)
class DialogueStack:
    rasa_url: str
    rasa_token: str
    action_url: str
    ready_seconds: float
    actions: ChildServer | None = field(default=None, repr=False, compare=False)  # tests stop and restart it
    rasa: ChildServer | None = field(default=None, repr=False, compare=False)  # tests stop and restart it


@contextlib.contextmanager
def running_dialogue_stack(
    database_url: str,
    *,
    model: Path | None = None,
    rasa_port: int | None = None,
    action_port: int | None = None,
    token: str | None = None,
    log_dir: Path = LOG_DIR,
    timeout: float = 120,
    public_base_url: str | None = None,
) -> Iterator[DialogueStack]:
    """Start the action server and a Rasa server on the given (or free) ports, wait until
    both answer, yield their URLs, and stop both on exit."""
    model = model or latest_model() or train_model()
    action_port = action_port or free_port()
    rasa_port = rasa_port or free_port()
    token = token or secrets.token_urlsafe(16)
    actions = action_server(action_port, database_url, log_dir, public_base_url=public_base_url)
    rasa = rasa_server(rasa_port, action_port, token, model, log_dir=log_dir)
    started = time.monotonic()
    try:
        actions.start()
        rasa.start()
        actions.wait_ready(timeout)
        rasa.wait_ready(timeout)
        yield DialogueStack(
            f"http://127.0.0.1:{rasa_port}",
            token,
            f"http://127.0.0.1:{action_port}",
            time.monotonic() - started,
            actions,
            rasa,
        )
    finally:
        rasa.stop()
        actions.stop()
