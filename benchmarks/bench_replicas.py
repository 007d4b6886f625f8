"""Benchmark one against two Rasa replicas (issue 8) through the whole stack on
PostgreSQL + Redis.

    .venv/bin/python benchmarks/bench_replicas.py [--postgres ADMIN_URL] [--redis URL]
        [--model PATH] [--concurrency 50] [--workers 2] [--warmup 8] [--duration 80] [--rounds 4]
        [--tier stack|rasa]

The stack as `recall up` runs it with RASA_REPLICAS=2: two Rasa servers on consecutive
ports sharing the SQL tracker store (a database of its own on the local PostgreSQL) and
the Redis lock store (the endpoints file written by bot.rasa_endpoints), the action
server, `recall serve` (the web application and `--workers` gateway workers), a fresh
PostgreSQL database holding the demo recall, and the local Twilio simulator in its own
process. Simulated customers send signed webhooks to /twilio/inbound; a turn is timed
from posting the webhook to the reply reaching the simulator (bench_gateway.py's closed
loop: each customer sends its next message once it has the reply to the previous one).

Both configurations are measured in one run, in alternating blocks (A B B A for
--rounds 4, as bench_gateway does: this machine is shared and noisy). Both Rasa servers
run throughout; between blocks only the app is restarted, with RASA_REPLICAS=1 (every
turn to the first server: the second one idles) or RASA_REPLICAS=2 (turns to the least
busy of the two). Same database, tracker store, lock store, action server and workers:
the number of replicas the gateway uses is the only difference. CPU time of every
process (and Rasa's run-queue wait, from /proc/PID/task/*/schedstat) is sampled per block.

--tier rasa measures the dialogue tier alone, as it runs on a host of its own: the same
Rasa servers, tracker store, lock store and action server, but the load generator posts
each turn straight to a Rasa server's REST channel (picked by the gateway's own
RasaClient: fewest turns in flight, ties in turn) and times Rasa's answer; no web
application, workers or simulator take CPU. It shows what a second replica gives when
the rest of the stack is not on the same two vCPUs (results in
benchmarks/results/replicas_rasa_tier.json).

Writes benchmarks/results/replicas.json and prints markdown tables.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shlex
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import bench_gateway as gw  # the machinery: stack, poster, closed-loop blocks
import harness  # the machine, CPU figures, servers

from bot.db import make_engine, make_session_factory
from bot.messaging.rasa import RasaClient  # the gateway's replica picker
from bot.processes import BACKGROUND_NICE, ChildServer, free_port, latest_model, train_model
from tests.e2e.stack import replicated_dialogue  # the replicas as `recall up` starts them

RESULTS = HERE / "results" / "replicas.json"
RESULTS_RASA_TIER = HERE / "results" / "replicas_rasa_tier.json"
DEFAULT_REDIS = "redis://127.0.0.1:6379/6"
STACKS = {
    "stack": "recall serve (web + gateway workers) -> Rasa 3.6.21 replicas (SQL tracker store on PostgreSQL, "
    "RedisLockStore) -> action server; Twilio = local simulator (own process)",
    "rasa": "load generator -> Rasa 3.6.21 replicas' REST channel (SQL tracker store on PostgreSQL, "
    "RedisLockStore) -> action server; no web application, workers or simulator",
}


class ReplicaPoster(gw.Poster):
    """REST turns straight to Rasa (--tier rasa) through the gateway's own RasaClient on
    the first `replicas` servers (least busy first, ties in turn); the Redis lock keeps
    each conversation in order."""

    def __init__(self, stack: gw.Stack, rasa_urls: list[str]) -> None:
        super().__init__(stack)
        self.clients = {
            count: RasaClient(rasa_urls[:count], stack.rasa_token, client=self.http)
            for count in range(1, len(rasa_urls) + 1)
        }
        self.replicas = 1

    async def rest_turn(self, sender: str, body: str) -> tuple[float, float]:
        start = time.monotonic()
        await self.clients[self.replicas].turn(sender, body, {})
        return start, time.monotonic()


class App:
    """`recall serve` (web application + gateway workers), restarted per block with the
    number of replicas the gateway spreads turns over."""

    def __init__(self, port: int, env: dict[str, str]) -> None:
        self.port, self.env = port, env
        self.server: ChildServer | None = None

    def start(self, replicas: int) -> int:
        self.server = harness.server(
            "app",
            [sys.executable, "-m", "bot.cli.main", "serve", "--port", str(self.port)],
            self.port,
            {**self.env, "RASA_REPLICAS": str(replicas)},
            log=f"bench-replicas-app-{self.port}.log",
        )
        self.server.start()
        self.server.wait_ready(60)
        assert self.server.process is not None
        return self.server.process.pid

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop(timeout=20)


def table(result: dict[str, Any]) -> str:
    rows = result["configurations"]
    lines = [
        "| Rasa replicas | turns/s | median block turns/s | p50 ms | p95 ms | p99 ms | turns | failures | "
        "vs 1 replica | CPU ms per turn (all processes) | turns/s that would fill every CPU |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lat = row["latency_ms"]
        ratio = "" if row["replicas"] == 1 else f"{result['ratio_turns_per_s']:.2f}×"
        lines.append(
            f"| {row['replicas']} | {row['turns_per_s']:.2f} | {row['median_block_turns_per_s']:.2f} | "
            f"{gw.fmt(lat.get('p50'))} | {gw.fmt(lat.get('p95'))} | {gw.fmt(lat.get('p99'))} | "
            f"{row['turns']} | {sum(row['failures'].values())} | {ratio} | {gw.fmt(row['cpu_ms_per_turn_all'])} | "
            f"{gw.fmt(row['cpu_bound_turns_per_s'])} |"
        )
    names = ["rasa 1", "rasa 2", "action server", "app", "simulator", "postgres (all)", "redis", "load generator"]
    lines += [
        "",
        "| Rasa replicas | machine busy | " + " | ".join(names) + " | Rasa run-queue wait per CPU s |",
        "|---:|---:|" + "---:|" * (len(names) + 1),
    ]
    for row in rows:
        cores = row["cores_used"]
        busy = statistics.fmean(row["machine_busy_by_block"])
        waits = ", ".join(f"{v:.2f}" for v in row["rasa_wait_per_cpu_s"].values())
        lines.append(
            f"| {row['replicas']} | {busy:.0%} | "
            + " | ".join(f"{cores.get(k, 0):.2f}" for k in names)
            + f" | {waits} |"
        )
    return "\n".join(lines)


async def run(
    stack: gw.Stack, app: App, args: argparse.Namespace, rasa_pids: dict[str, int], rasa_urls: list[str]
) -> dict[str, Any]:
    reader = asyncio.create_task(stack.read_simulator())
    rasa_tier = args.tier == "rasa"
    poster = ReplicaPoster(stack, rasa_urls) if rasa_tier else gw.Poster(stack)
    path = "stock_rest" if rasa_tier else "gateway"

    async def start(replicas: int) -> None:
        if rasa_tier:
            poster.replicas = replicas  # type: ignore[attr-defined]
        else:
            stack.pids["app"] = await asyncio.to_thread(app.start, replicas)

    async def stop() -> None:
        if not rasa_tier:
            await asyncio.to_thread(app.stop)

    try:
        print("warm-up: both replicas, 6 customers for 15 s", flush=True)
        await start(2)
        await gw.turn_block(stack, poster, path, 6, 0, 15, seed=5, prefix=71)
        await stop()
        configs = [1, 2]
        order = [c for r in range(args.rounds) for c in (configs if r % 2 == 0 else configs[::-1])]
        block_s = args.duration / args.rounds
        blocks: dict[int, list[dict[str, Any]]] = {c: [] for c in configs}
        for n, replicas in enumerate(order):
            print(
                f"block {n + 1}/{len(order)}: {replicas} replica(s), {args.concurrency} customers "
                f"({args.warmup:.0f} s + {block_s:.0f} s); load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            await start(replicas)
            before = harness.run_queue(rasa_pids)
            block = await gw.turn_block(
                stack, poster, path, args.concurrency, args.warmup, block_s, seed=23 + n, prefix=72 + n
            )
            after = harness.run_queue(rasa_pids)
            await stop()
            block["sched"] = {
                k: [round(after[k][0] - before[k][0], 2), round(after[k][1] - before[k][1], 2)] for k in rasa_pids
            }
            print(
                f"  {len(block['latencies']) / block['window_s']:.2f} turns/s, {gw.summary_ms(block['latencies'])}, "
                f"failures {block['failures']}, machine busy {block['cpu']['machine_busy']:.0%}, "
                f"cores {block['cpu']['cores_used']}",
                flush=True,
            )
            blocks[replicas].append(block)
        configurations = []
        for replicas in configs:
            row = gw.combine(blocks[replicas])
            per_block = row["turns_per_s_by_block"]
            sched = {k: [sum(b["sched"][k][i] for b in blocks[replicas]) for i in (0, 1)] for k in rasa_pids}
            # Everything a turn costs on this machine (the stack's processes, PostgreSQL, Redis,
            # the simulator and the load generator), and the turns/s that fills every CPU.
            per_turn = sum(row["cpu_ms_per_turn"].values())
            row.update(
                {
                    "cpu_ms_per_turn_all": round(per_turn, 1),
                    "cpu_bound_turns_per_s": round((os.cpu_count() or 1) * 1000 / per_turn, 2) if per_turn else None,
                }
            )
            row.update(
                {
                    "replicas": replicas,
                    "median_block_turns_per_s": round(statistics.median(per_block), 2),
                    "rasa_sched_seconds": {
                        k: {"on_cpu": round(v[0], 1), "run_queue_wait": round(v[1], 1)} for k, v in sched.items()
                    },
                    "rasa_wait_per_cpu_s": {k: round(v[1] / v[0], 2) if v[0] > 1 else 0.0 for k, v in sched.items()},
                    "block_details": [
                        {
                            "turns_per_s": round(len(b["latencies"]) / b["window_s"], 2),
                            "cpu": b["cpu"],
                            "sched": b["sched"],
                        }
                        for b in blocks[replicas]
                    ],
                }
            )
            row.pop("path", None)
            configurations.append(row)
        one, two = configurations
        return {
            "order": order,
            "configurations": configurations,
            "ratio_turns_per_s": round(two["turns_per_s"] / one["turns_per_s"], 3) if one["turns_per_s"] else None,
            "ratio_median_block_turns_per_s": round(
                two["median_block_turns_per_s"] / one["median_block_turns_per_s"], 3
            )
            if one["median_block_turns_per_s"]
            else None,
        }
    finally:
        await poster.aclose()
        reader.cancel()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=gw.DEFAULT_PG, help="admin URL; a fresh database is made on it")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="Rasa's lock store (REDIS_URL)")
    parser.add_argument("--model", type=Path, help="default: the newest model in models/")
    parser.add_argument("--concurrency", type=int, default=50, help="customers in the closed loop")
    parser.add_argument("--workers", type=int, default=2, help="GATEWAY_WORKERS (the same for both)")
    parser.add_argument("--warmup", type=float, default=8.0, help="seconds before each measured block")
    parser.add_argument(
        "--duration", type=float, default=80.0, help="measured seconds per configuration, split over --rounds blocks"
    )
    parser.add_argument("--rounds", type=int, default=4, help="blocks per configuration, interleaved A B B A")
    parser.add_argument(
        "--tier",
        choices=["stack", "rasa"],
        default="stack",
        help="stack: signed webhooks through the whole stack; rasa: REST turns to Rasa alone",
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    args.out = args.out or (RESULTS if args.tier == "stack" else RESULTS_RASA_TIER)
    command = shlex.join([".venv/bin/python", "benchmarks/bench_replicas.py", *sys.argv[1:]])
    model = args.model or latest_model() or train_model()
    info = harness.machine(**harness.rasa_versions())
    print(f"model {model.name}; machine {info['cores']} x {info['cpu']}; load {info['loadavg_at_start']}", flush=True)

    database_url = gw.create_database(args.postgres)
    engine = make_engine(database_url)
    app_port = free_port()
    app_url = f"http://127.0.0.1:{app_port}"
    sim_config = {
        "account_sid": gw.ACCOUNT_SID,
        "auth_token": gw.TOKEN,
        "sms_number": gw.TWILIO_NUMBER,
        "inbound_url": f"{app_url}/twilio/inbound",
        "read_delay": -1,
    }
    try:
        # The simulator stands in for Twilio's servers: background priority, as in bench_gateway.
        with harness.simulator(sim_config, nice=BACKGROUND_NICE) as (sim, sim_url):
            started = time.monotonic()
            with replicated_dialogue(database_url, model, replicas=2, redis_url=args.redis) as dialogue:
                settings, actions, servers = dialogue
                print(
                    f"2 Rasa servers ({', '.join(settings.rasa_urls)}) and the action server ready in "
                    f"{time.monotonic() - started:.0f} s",
                    flush=True,
                )
                env = {
                    **os.environ,
                    "DATABASE_URL": database_url,
                    "RASA_URL": settings.rasa_url,
                    "RASA_TOKEN": settings.rasa_token,
                    "ACTION_SERVER_PORT": str(settings.action_server_port),
                    "REDIS_URL": args.redis,
                    "GATEWAY_WORKERS": str(args.workers),
                    "TWILIO_API_URL": sim_url,
                    "TWILIO_AUTH_TOKEN": gw.TOKEN,
                    "TWILIO_ACCOUNT_SID": gw.ACCOUNT_SID,
                    "TWILIO_SMS_FROM": gw.TWILIO_NUMBER,
                    "PUBLIC_BASE_URL": app_url,
                }
                app = App(app_port, env)
                rasa_pids = {f"rasa {i + 1}": s.process.pid for i, s in enumerate(servers) if s.process}
                pids = {**rasa_pids, "action server": actions.process.pid, "load generator": os.getpid()}
                if args.tier == "stack":
                    pids["simulator"] = sim.pid
                if redis := harness.pid_named("redis-server"):
                    pids["redis"] = redis
                stack = gw.Stack(
                    database_url,
                    make_session_factory(engine),
                    app_url,
                    settings.rasa_url,
                    settings.rasa_token,
                    sim_url,
                    pids=pids,
                )

                async def go() -> dict[str, Any]:
                    stack.sim_lines = asyncio.StreamReader(limit=1 << 20)
                    await asyncio.get_running_loop().connect_read_pipe(
                        lambda: asyncio.StreamReaderProtocol(stack.sim_lines), sim.stdout
                    )
                    return await run(stack, app, args, rasa_pids, settings.rasa_urls)

                try:
                    figures = asyncio.run(go())
                finally:
                    app.stop()
    finally:
        engine.dispose()
        gw.drop_database(args.postgres, database_url)

    result = {
        "benchmark": "Rasa replicas (issue 8)",
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "command": command,
        "machine": {**info, "loadavg_at_end": harness.loadavg()},
        "model": model.name,
        "tier": args.tier,
        "stack": STACKS[args.tier],
        "settings": {
            "concurrency": args.concurrency,
            "gateway_workers": args.workers,
            "warmup_s": args.warmup,
            "duration_s": args.duration,
            "rounds": args.rounds,
            "redis": args.redis,
            "turn_timeout_s": gw.TURN_TIMEOUT,
            "script": gw.script(random.Random(1)),
        },
        **figures,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print()
    print(table(result))
    print(f"\nratio 2 replicas / 1 replica (turns/s): {result['ratio_turns_per_s']}")
    print(f"raw figures: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
