"""Running a simulator (or any ASGI app) on a local port for tests, benchmarks and the demo."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn
from twilio.rest import Client

from bot.twilio_sim.app import create_app
from bot.twilio_sim.client import simulator_client
from bot.twilio_sim.config import SimConfig
from bot.twilio_sim.state import SimState

STARTUP_TIMEOUT = 15.0


def _bind(host: str, port: int | None) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port or 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


@contextmanager
def serving(
    app: Any, host: str = "127.0.0.1", port: int | None = None, sock: socket.socket | None = None
) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a background thread; yields its base URL once it
    accepts connections, and stops it (waiting for the thread) on exit."""
    sock = sock or _bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name=f"uvicorn-{bound_port}")
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError(f"server on {bound_host}:{bound_port} did not start")
        time.sleep(0.01)
    try:
        yield f"http://{bound_host}:{bound_port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@dataclass
class SimHandle:
    """A running simulator: its URL, config and state, and shortcuts to its /sim/api."""

    base_url: str
    config: SimConfig
    state: SimState

    def _http(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30, trust_env=False)

    def twilio_client(self) -> Client:
        """The official client, talking to this simulator with the account's credentials."""
        return simulator_client(self.base_url, self.config.account_sid, self.config.auth_token)

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        with self._http() as http:
            return http.request(method, path, **kwargs)

    def send(
        self,
        phone: str,
        body: str = "",
        channel: str = "sms",
        photo: tuple[str, bytes, str] | None = None,
        wait: bool = True,
        name: str | None = None,
    ) -> dict[str, Any]:
        """A customer's phone sends a message; with `wait`, returns after the app answered the
        webhook (the result is under "webhook"). `photo` is (filename, bytes, content type)."""
        data = {"from": phone, "channel": channel, "body": body, "wait": "true" if wait else "false"}
        if name:
            data["name"] = name
        files = {"photo": photo} if photo else None
        response = self.api("POST", "/sim/api/send", data=data, files=files)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def register_phone(self, phone: str, name: str = "") -> dict[str, Any]:
        response = self.api("POST", "/sim/api/phones", json={"phone": phone, "name": name})
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def messages(self, phone: str | None = None) -> list[dict[str, Any]]:
        params = {"phone": phone} if phone else None
        result: list[dict[str, Any]] = self.api("GET", "/sim/api/messages", params=params).json()["messages"]
        return result

    def webhooks(self, kind: str | None = None) -> list[dict[str, Any]]:
        params = {"kind": kind} if kind else None
        result: list[dict[str, Any]] = self.api("GET", "/sim/api/webhooks", params=params).json()["webhooks"]
        return result

    def set_faults(self, **faults: Any) -> dict[str, Any]:
        response = self.api("POST", "/sim/api/faults", json=faults)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def clear_faults(self) -> None:
        self.api("DELETE", "/sim/api/faults").raise_for_status()

    def advance_clock(self, seconds: float) -> None:
        self.api("POST", "/sim/api/clock", json={"advance_seconds": seconds}).raise_for_status()

    def reset(self) -> None:
        self.api("POST", "/sim/api/reset").raise_for_status()


@contextmanager
def running_simulator(
    config: SimConfig | None = None, port: int | None = None, host: str = "127.0.0.1"
) -> Iterator[SimHandle]:
    """A simulator on `port` (a free one when None) in a background thread, ready on entry.

    When the config has no `public_url`, it is set to the simulator's own URL so that media
    links in webhooks point back at it."""
    config = config or SimConfig()
    sock = _bind(host, port)
    base_url = f"http://{host}:{sock.getsockname()[1]}"
    if not config.public_url:
        config = dataclasses.replace(config, public_url=base_url)
    app = create_app(config)
    with serving(app, sock=sock) as url:
        yield SimHandle(url, config, app.state.sim)
