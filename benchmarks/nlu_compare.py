"""Compare candidate NLU pipelines on the held-out split (docs/nlu.md).

For each candidate config under docs/nlu/ this script

1. trains an NLU-only model:   rasa train nlu --config CFG --nlu data/nlu.yml --out DIR
   (wall-clock time of the whole command, Rasa's training cache disabled);
2. tests it on the held-out split:   rasa test nlu --nlu tests/nlu_test.yml --model M --out DIR
   and reads the intent macro-F1 (intent_report.json, "macro avg") and the `serial`
   entity F1 (<Extractor>_report.json, token level, as Rasa reports it); the same for the
   small second held-out set docs/nlu/fresh_check.yml ("fresh check");
3. serves it:   rasa run --enable-api -m M --port 5199
   and measures "ready" = seconds from starting the process until GET /status answers
   200, then POSTs N messages (the test split's texts, in turn) to /model/parse one
   after the other and reports the median and p95 latency; then (untimed) parses every
   test example once more to count in-domain messages the FallbackClassifier sends to
   nlu_fallback (`rasa test nlu` undoes fallback predictions in its reports);
4. stops the server it started (by its own process group id, nothing else).

It writes benchmarks/results/nlu.json and prints a markdown table.

Runs under the application environment (.venv/bin/python, Python 3.11, stdlib + httpx);
Rasa runs only as subprocesses of .venv-rasa/bin/rasa. Run it from anywhere:

    .venv/bin/python benchmarks/nlu_compare.py                 # all candidates
    .venv/bin/python benchmarks/nlu_compare.py --only logreg   # one of them

Trainings run one after another (the machine has 2 cores); do not run two at once.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"

sys.path.insert(0, str(HERE))
import harness  # the machine, servers through bot.processes

from bot.processes import StartupError

DEFAULT_CANDIDATES = ["logreg", "diet", "diet_crf"]


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env["RASA_TELEMETRY_ENABLED"] = "false"
    # No training cache: every candidate is timed from scratch, and nothing is written
    # into the project's .rasa/cache.
    env["RASA_MAX_CACHE_SIZE"] = "0"
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    env["SQLALCHEMY_SILENCE_UBER_WARNING"] = "1"
    env.setdefault("PYTHONWARNINGS", "ignore")
    return env


def run(cmd: list[str], log: Path, cwd: Path) -> float:
    """Run a command to completion, output to `log`; return its wall-clock seconds."""
    start = time.perf_counter()
    with log.open("w") as fh:
        proc = subprocess.run(
            cmd,
            check=False,
            cwd=cwd,
            env=rasa_env(),
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "".join(log.read_text(errors="replace").splitlines(keepends=True)[-30:])
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{tail}")
    return elapsed


def load_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, text) pairs of a Rasa NLU YAML file, entity markup removed."""
    examples, intent = [], None
    for line in path.read_text().splitlines():
        m = re.match(r"^\s*- (intent|regex|synonym|lookup): (\S+)", line)
        if m:
            intent = m.group(2) if m.group(1) == "intent" else None
            continue
        m = re.match(r"^\s+- (.+)$", line)
        if m and intent:
            examples.append((intent, re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", m.group(1)).strip()))
    return examples


def shown(cmd: list[str]) -> str:
    """A command as it would be typed from the project root."""
    return " ".join(c.replace(f"{ROOT}/", "") for c in cmd)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def read_scores(results: Path) -> dict:
    intent = json.loads((results / "intent_report.json").read_text())
    scores: dict = {
        "intent_macro_f1": intent["macro avg"]["f1-score"],
        "intent_weighted_f1": intent["weighted avg"]["f1-score"],
        "intent_accuracy": intent.get("accuracy"),
        "per_intent_f1": {
            k: round(v["f1-score"], 4)
            for k, v in intent.items()
            if isinstance(v, dict) and "f1-score" in v and k not in ("macro avg", "weighted avg", "micro avg")
        },
    }
    for name in ("CRFEntityExtractor", "DIETClassifier"):
        report = results / f"{name}_report.json"
        if report.exists():
            ents = json.loads(report.read_text())
            serial = ents.get("serial", {})
            scores["entity_extractor"] = name
            scores["serial_f1"] = serial.get("f1-score")
            scores["serial_precision"] = serial.get("precision")
            scores["serial_recall"] = serial.get("recall")
            break
    errors_file = results / "intent_errors.json"
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
    scores["intent_errors"] = [
        {
            "text": e["text"],
            "expected": e["intent"],
            "predicted": e["intent_prediction"]["name"],
            "confidence": round(e["intent_prediction"]["confidence"], 3),
        }
        for e in errors
    ]
    return scores


def entity_errors(results: Path) -> list[dict]:
    """Messages whose predicted serial spans differ from the gold spans."""
    out = []
    for name in ("CRFEntityExtractor", "DIETClassifier"):
        f = results / f"{name}_errors.json"
        if f.exists():
            for e in json.loads(f.read_text()):
                out.append(
                    {
                        "text": e["text"],
                        "gold": [x["value"] for x in e.get("entities", [])],
                        "predicted": [x["value"] for x in e.get("predicted_entities", [])],
                    }
                )
    return out


def serve_and_measure(model: Path, examples: list[tuple[str, str]], n: int, port: int, log: Path) -> dict:
    """Start `rasa run`, time until /status is 200, then time N sequential parses.

    Afterwards (untimed) every test example is parsed once more through the live server,
    FallbackClassifier included, to count in-domain messages sent to `nlu_fallback`
    (`rasa test nlu` undoes fallback predictions, so its report cannot show them)."""
    texts = [t for _, t in examples]
    workdir = Path(tempfile.mkdtemp(prefix="nlu_serve_"))  # no endpoints.yml / credentials.yml
    cmd = [
        str(RASA),
        "run",
        "--enable-api",
        "-m",
        str(model),
        "--port",
        str(port),
        "--cors",
        "*",
    ]
    base = f"http://127.0.0.1:{port}"
    try:  # something else on the port would answer /status for us
        httpx.get(f"{base}/status", timeout=1.0)
        raise SystemExit(f"port {port} is already in use; pass --port")
    except httpx.TransportError:
        pass
    log.unlink(missing_ok=True)  # a fresh log per run (ChildServer appends)
    server = harness.server("rasa run", cmd, port, rasa_env(), log=str(log), cwd=workdir, ready_path="/status")
    start = time.perf_counter()
    server.start()
    try:
        try:
            server.wait_ready(300, interval=0.05)
        except StartupError as exc:
            raise SystemExit(f"rasa run did not become ready; see {log}\n{exc}") from None
        ready = time.perf_counter() - start
        with httpx.Client(timeout=5.0) as client:
            latencies = []
            first = None
            for i in range(n):
                text = texts[i % len(texts)]
                t0 = time.perf_counter()
                r = client.post(f"{base}/model/parse", json={"text": text}, timeout=30.0)
                dt = (time.perf_counter() - t0) * 1000
                r.raise_for_status()
                if first is None:
                    first = dt
                latencies.append(dt)
            live = []
            for intent, text in examples:
                r = client.post(f"{base}/model/parse", json={"text": text}, timeout=30.0)
                r.raise_for_status()
                parsed = r.json()
                got = parsed["intent"]["name"]
                # For nlu_fallback keep the confidence of the best real intent.
                ranking = [x for x in parsed.get("intent_ranking", []) if x["name"] != "nlu_fallback"]
                conf = ranking[0]["confidence"] if ranking else parsed["intent"].get("confidence")
                live.append((intent, got, conf, text))
    finally:
        server.stop(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "ready_s": ready,
        "parse_n": n,
        "parse_first_ms": first,
        "parse_p50_ms": statistics.median(latencies),
        "parse_p95_ms": percentile(latencies, 0.95),
        "parse_max_ms": max(latencies),
        "live_accuracy": sum(1 for e, p, _, _ in live if e == p) / len(live),
        "live_in_domain_to_fallback": [
            {"text": t, "expected": e, "confidence": c}
            for e, p, c, t in live
            if p == "nlu_fallback" and e != "out_of_scope"
        ],
        "live_out_of_scope_to_fallback": sum(1 for e, p, _, _ in live if p == "nlu_fallback" and e == "out_of_scope"),
    }


def fmt(v, spec):
    return "–" if v is None else format(v, spec)


def table(rows: list[dict]) -> str:
    head = (
        "| pipeline | intent macro-F1 | serial F1 | fresh-check intent F1 / serial F1 | in-domain to fallback "
        "| training s | ready s | parse p50 ms | parse p95 ms | model MB |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    body = ""
    for r in rows:
        if "error" in r:
            body += f"| {r['name']} | failed: see results JSON | | | | | | | | |\n"
            continue
        extra = r.get("extra") or {}
        fb = r.get("live_in_domain_to_fallback")
        body += (
            f"| {r['name']} | {fmt(r.get('intent_macro_f1'), '.3f')} | {fmt(r.get('serial_f1'), '.3f')} "
            f"| {fmt(extra.get('intent_macro_f1'), '.3f')} / {fmt(extra.get('serial_f1'), '.3f')} "
            f"| {'–' if fb is None else len(fb)} "
            f"| {fmt(r.get('train_s'), '.1f')} | {fmt(r.get('ready_s'), '.1f')} "
            f"| {fmt(r.get('parse_p50_ms'), '.1f')} | {fmt(r.get('parse_p95_ms'), '.1f')} "
            f"| {fmt(r.get('model_mb'), '.2f')} |\n"
        )
    return head + body


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--only",
        nargs="*",
        default=None,
        help=f"candidate names or config .yml paths (default: {DEFAULT_CANDIDATES})",
    )
    ap.add_argument("--nlu", default="data/nlu.yml")
    ap.add_argument("--test", default="tests/nlu_test.yml")
    ap.add_argument("--messages", type=int, default=200, help="parse requests per candidate")
    ap.add_argument("--port", type=int, default=5199)
    ap.add_argument("--work", default="/tmp", help="where models and test results go")
    ap.add_argument(
        "--extra-test",
        default="docs/nlu/fresh_check.yml",
        help='a second held-out file, also tested ("" to skip)',
    )
    ap.add_argument("--out", default="benchmarks/results/nlu.json")
    ap.add_argument("--no-serve", action="store_true", help="skip the ready/latency measurement")
    ap.add_argument("--no-write", action="store_true", help="do not write the JSON results file")
    args = ap.parse_args()

    names = args.only or DEFAULT_CANDIDATES
    nlu, test = ROOT / args.nlu, ROOT / args.test
    examples = load_examples(test)
    work = Path(args.work)
    rows = []
    for name in names:
        if name.endswith(".yml"):  # a config file path instead of a candidate name
            config = Path(name).resolve()
            name = config.stem.removeprefix("config_")
        else:
            config = ROOT / "docs" / "nlu" / f"config_{name}.yml"
        models, results = work / f"nlu_models_{name}", work / f"results_{name}"
        shutil.rmtree(models, ignore_errors=True)
        shutil.rmtree(results, ignore_errors=True)
        models.mkdir(parents=True)
        print(f"[{name}] training ...", file=sys.stderr, flush=True)
        train_cmd = [
            str(RASA),
            "train",
            "nlu",
            "--config",
            str(config),
            "--nlu",
            str(nlu),
            "--out",
            str(models),
            "--fixed-model-name",
            f"nlu-{name}",
        ]
        try:
            train_s = run(train_cmd, work / f"train_{name}.log", ROOT)
        except SystemExit as exc:
            print(f"[{name}] FAILED: {exc}", file=sys.stderr, flush=True)
            rows.append({"name": name, "config": str(config), "error": str(exc)[-2000:]})
            continue
        model = next(models.glob("*.tar.gz"))
        print(
            f"[{name}] trained in {train_s:.1f} s; testing ...",
            file=sys.stderr,
            flush=True,
        )
        test_cmd = [
            str(RASA),
            "test",
            "nlu",
            "--nlu",
            str(test),
            "--model",
            str(model),
            "--out",
            str(results),
            "--successes",
        ]
        test_s = run(test_cmd, work / f"test_{name}.log", ROOT)
        row = {
            "name": name,
            "config": str(config.relative_to(ROOT)) if config.is_relative_to(ROOT) else str(config),
            "train_s": train_s,
            "test_s": test_s,
            "model_mb": model.stat().st_size / 1e6,
            "commands": {"train": shown(train_cmd), "test": shown(test_cmd)},
        }
        row.update(read_scores(results))
        row["entity_errors"] = entity_errors(results)
        if args.extra_test:
            extra_results = work / f"results_{name}_extra"
            shutil.rmtree(extra_results, ignore_errors=True)
            extra_cmd = [
                str(RASA),
                "test",
                "nlu",
                "--nlu",
                str(ROOT / args.extra_test),
                "--model",
                str(model),
                "--out",
                str(extra_results),
                "--successes",
            ]
            run(extra_cmd, work / f"test_{name}_extra.log", ROOT)
            extra = read_scores(extra_results)
            row["extra"] = {
                "intent_macro_f1": extra["intent_macro_f1"],
                "serial_f1": extra.get("serial_f1"),
                "intent_errors": extra["intent_errors"],
                "entity_errors": entity_errors(extra_results),
            }
            row["commands"]["extra_test"] = shown(extra_cmd)
        if not args.no_serve:
            print(f"[{name}] serving ...", file=sys.stderr, flush=True)
            row.update(
                serve_and_measure(
                    model,
                    examples,
                    args.messages,
                    args.port,
                    work / f"serve_{name}.log",
                )
            )
        print(
            f"[{name}] intent macro-F1 {row['intent_macro_f1']:.3f}, serial F1 {fmt(row.get('serial_f1'), '.3f')}, "
            f"{len(row['intent_errors'])} intent errors on {len(examples)} test messages",
            file=sys.stderr,
            flush=True,
        )
        rows.append(row)

    doc = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": harness.machine(),
        "training_data": args.nlu,
        "test_split": args.test,
        "test_examples": len(examples),
        "extra_test": args.extra_test or None,
        "candidates": rows,
    }
    if not args.no_write:
        out = ROOT / args.out
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(doc, indent=2) + "\n")
        print(f"wrote {out.relative_to(ROOT)}", file=sys.stderr)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
