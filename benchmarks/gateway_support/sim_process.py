"""Benchmark only: the local Twilio simulator in its own process, reporting every
message it is asked to send.

    python benchmarks/gateway_support/sim_process.py CONFIG_JSON

CONFIG_JSON holds SimConfig fields. The process starts the simulator
(`bot.twilio_sim.runner.running_simulator`), prints `READY <base url>`, then one line
per message a REST create call stores (`R <monotonic seconds> <customer phone>
<direction> <body length>`), and runs until its stdin closes.

It is a separate process, not a thread of the benchmark, so the simulator's work
(create calls, status callbacks) does not compete with the load generator for one GIL;
CLOCK_MONOTONIC is system-wide, so its timestamps compare with the benchmark's.
"""

from __future__ import annotations

import json
import sys
import threading
import time

from bot.twilio_sim.config import SimConfig
from bot.twilio_sim.runner import running_simulator

_out = threading.Lock()


def _emit(line: str) -> None:
    with _out:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def main() -> None:
    config = SimConfig(**json.loads(sys.argv[1]))
    with running_simulator(config) as sim:
        store = sim.state.store
        add_message = store.add_message

        def reporting_add_message(message):
            stored = add_message(message)
            if stored.direction != "inbound":
                _emit(f"R {time.monotonic():.6f} {stored.customer} {stored.direction} {len(stored.body)}")
            return stored

        store.add_message = reporting_add_message  # type: ignore[method-assign]
        _emit(f"READY {sim.base_url}")
        sys.stdin.read()  # until the benchmark closes our stdin (or dies)


if __name__ == "__main__":
    main()
