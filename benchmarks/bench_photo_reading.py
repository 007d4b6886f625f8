"""Benchmark reading a refrigerator's serial from a photo of its label (issue 18): each OCR
configuration of `bot.ocr.reader.CONFIGURATIONS` (engine, threads, preprocessing) on the
generated label photos, then the chosen one on a second set nobody tuned on.

    .venv/bin/python benchmarks/bench_photo_reading.py [--count 300] [--seed 18] [--check-seed 1018]
        [--configurations NAME,NAME] [--chosen NAME] [--quick] [--photos DIR] [--keep DIR]

The photos come from tests/label_photos/generator.py (`generate(out_dir, count, seed)`,
the truth beside each), written to a temporary folder (or `--keep DIR`); `--photos DIR`
reads a set generated before instead. Each photo's bytes go through `read_label` (decode,
preprocessing, engine) on one thread, one photo at a time, the engine loaded and warmed
up on one photo first; its lines through `serial_candidates` and `rank_candidates` with
the demo campaign's format and affected range (no serial on file). Per configuration:
right serial first %, a wrong serial first %, nothing offered %, the right serial among
the candidates %, wall time per photo (reading and ranking) median and p95 (nearest rank) and CPU seconds per
photo (this process and its children: Tesseract runs as one). Writes
benchmarks/results/photo_reading.json (with every photo not read right) and prints a
markdown table. `--quick`: the first 40 photos, no second set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "photo_reading.json"
CAMPAIGN = ROOT / "demo" / "campaign.yml"
QUICK_COUNT = 40

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import harness  # the machine

from bot.campaigns.definition import read_definition
from bot.domain.label_text import rank_candidates, serial_candidates
from bot.domain.serials import affected_range
from bot.ocr import reader


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its children that have exited
    (each Tesseract run is one)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def photo_set(folder: Path, count: int, seed: int, *, generate: bool) -> list[tuple[Path, str]]:
    """(photo, true serial) of the set in `folder`, generated there first when `generate`."""
    if generate:
        from tests.label_photos.generator import generate as generate_photos

        generate_photos(folder, count=count, seed=seed)
    truth = json.loads((folder / "truth.json").read_text())
    rows = truth if isinstance(truth, list) else truth.get("photos", truth)
    return [(folder / row["file"], row["serial"]) for row in rows][:count]


class Campaign:
    """The demo campaign's serial format and affected ranges, as `bot.services.label_photos` ranks."""

    def __init__(self) -> None:
        definition = read_definition(CAMPAIGN)
        self.serial_format = re.compile(definition.affected.serial_format)
        self.ranges = definition.affected.serial_ranges()

    def ranked(self, lines) -> list[str]:
        found = serial_candidates(lines, self.serial_format)
        ranked = rank_candidates(found, on_file=(), affected=lambda s: affected_range(s, self.ranges) is not None)
        return [c.serial for c in ranked]


def measure(configuration: reader.Configuration, photos: list[tuple[Path, str]], campaign: Campaign) -> dict[str, Any]:
    engine = reader.engine_for(configuration)
    engine.load()
    reader.read_label(photos[0][0].read_bytes(), configuration)  # warm-up: first-run allocations
    times, right, wrong, nothing, among, failures = [], 0, 0, 0, 0, []
    cpu0 = cpu_seconds()
    for path, serial in photos:
        data = path.read_bytes()
        t0 = time.perf_counter()
        lines = reader.read_label(data, configuration)
        ranked = campaign.ranked(lines)
        times.append((time.perf_counter() - t0) * 1000)
        among += serial in ranked
        if ranked and ranked[0] == serial:
            right += 1
            continue
        if ranked:
            wrong += 1
        else:
            nothing += 1
        failures.append(
            {
                "photo": path.name,
                "serial": serial,
                "first": ranked[0] if ranked else None,
                "candidates": ranked[:5],
                "lines": [[line.text, round(line.confidence, 3)] for line in lines],
            }
        )
    cpu = cpu_seconds() - cpu0
    n = len(photos)
    return {
        "configuration": configuration.name,
        "engine": reader.engine_name(configuration),
        "steps": list(configuration.steps),
        "threads": configuration.threads,
        "photos": n,
        "right_first_pct": round(100 * right / n, 1),
        "wrong_first_pct": round(100 * wrong / n, 1),
        "nothing_pct": round(100 * nothing / n, 1),
        "right_among_pct": round(100 * among / n, 1),
        "median_ms": round(statistics.median(times)),
        "p95_ms": round(p95(times)),
        "total_s": round(sum(times) / 1000, 1),
        "cpu_s_per_photo": round(cpu / n, 3),
        "failures": failures,
    }


def table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| set | configuration | photos | right first | wrong first | nothing | right among | median ms | p95 ms "
        "| CPU s/photo | total s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['set']} | {r['configuration']} | {r['photos']} | {r['right_first_pct']}% | {r['wrong_first_pct']}% "
            f"| {r['nothing_pct']}% | {r['right_among_pct']}% | {r['median_ms']} | {r['p95_ms']} "
            f"| {r['cpu_s_per_photo']} | {r['total_s']} |"
        )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--check-seed", type=int, default=1018, help="the second set, for the chosen configuration")
    parser.add_argument("--configurations", default=",".join(reader.CONFIGURATIONS), help="comma-separated names")
    parser.add_argument("--chosen", default=reader.CHOSEN.name, help="the configuration run on the second set")
    parser.add_argument("--quick", action="store_true", help=f"the first {QUICK_COUNT} photos, no second set")
    parser.add_argument("--photos", type=Path, help="a set generated before (its truth.json), instead of generating")
    parser.add_argument("--keep", type=Path, help="generate the sets into this folder (kept), not a temporary one")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    count = min(args.count, QUICK_COUNT) if args.quick else args.count
    names = [n.strip() for n in args.configurations.split(",") if n.strip()]
    unknown = [n for n in names + [args.chosen] if n not in reader.CONFIGURATIONS]
    if unknown:
        parser.error(f"unknown configuration(s) {unknown}; known: {', '.join(reader.CONFIGURATIONS)}")

    campaign = Campaign()
    started = dt.datetime.now(dt.UTC)
    rows = []
    with tempfile.TemporaryDirectory(prefix="label_photos_") as tmp:
        base = args.keep or Path(tmp)
        sets = [(f"seed {args.seed}", args.photos or base / f"seed_{args.seed}", args.seed, names)]
        if not args.quick and not args.photos:
            sets.append((f"seed {args.check_seed}", base / f"seed_{args.check_seed}", args.check_seed, [args.chosen]))
        for label, folder, seed, configurations in sets:
            generate = args.photos is None
            if generate:
                folder.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            photos = photo_set(folder, count, seed, generate=generate)
            print(f"{label}: {len(photos)} photos in {folder} ({time.perf_counter() - t0:.1f} s)", flush=True)
            for name in configurations:
                row = {"set": label, **measure(reader.CONFIGURATIONS[name], photos, campaign)}
                rows.append(row)
                print(table([row]).splitlines()[-1], flush=True)

    result = {
        "benchmark": "photo_reading",
        "started": started.isoformat(timespec="seconds"),
        "machine": harness.machine(tesseract_omp_thread_limit=os.environ.get("OMP_THREAD_LIMIT")),
        "command": " ".join(["benchmarks/bench_photo_reading.py", *sys.argv[1:]]),
        "chosen": args.chosen,
        "rows": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print()
    print(table(rows))
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
