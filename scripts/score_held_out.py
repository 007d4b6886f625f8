"""Score a trained Rasa model on held-out sets (e.g. tests/blind/): the handoff decision
and intent classification. Runs in .venv:

    .venv/bin/python scripts/score_held_out.py --model models/X.tar.gz \
        --handoff tests/blind/handoff_hi.yml --nlu tests/blind/nlu_hi.yml
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.processes import nlu_parser

ESCALATING = {"request_human", "complain", "report_hazard"}
_MARKUP = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_SERIAL = re.compile(r"\[([^\]]*)\]\(serial\)")


def plain(example: str) -> str:
    return _MARKUP.sub(r"\1", example)


def load_handoff(path: Path) -> tuple[dict[str, list[str]], list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {k: [str(m) for m in v] for k, v in data["escalate"].items()}, [str(m) for m in data["ordinary"]]


def load_nlu(path: Path) -> list[tuple[str, str]]:
    """(intent, annotated example) pairs."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = []
    for item in data["nlu"]:
        if "intent" not in item:
            continue
        for line in item["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                rows.append((item["intent"], line[2:].strip()))
    return rows


def macro_f1(gold: list[str], predicted: list[str], labels: set[str]) -> float:
    scores = []
    for label in sorted(labels):
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def overlap_with_training(messages: list[str]) -> list[str]:
    """Messages of the set that are also training examples (should be none)."""
    try:
        from tests.held_out import normalised, training_examples
    except Exception:  # noqa: BLE001 - the check is informative only
        return []
    trained = training_examples()
    return [m for m in messages if normalised(m) in trained]


def score_handoff(path: Path, parse) -> None:
    escalate, ordinary = load_handoff(path)
    total = sum(len(v) for v in escalate.values())
    missed = []
    per_kind = {}
    for kind, messages in escalate.items():
        hits = 0
        for m in messages:
            intent = parse(m)["intent"]
            if intent["name"] in ESCALATING:
                hits += 1
            else:
                missed.append((kind, m, intent["name"], intent.get("confidence")))
        per_kind[kind] = (hits, len(messages))
    false_alarms = []
    for m in ordinary:
        intent = parse(m)["intent"]
        if intent["name"] in ESCALATING:
            false_alarms.append((m, intent["name"], intent.get("confidence"), intent.get("handoff")))
    escalated = total - len(missed)
    kinds = ", ".join(f"{k} {h}/{n}" for k, (h, n) in per_kind.items())
    print(f"\n== handoff {path}")
    print(f"escalated: {escalated}/{total} ({escalated / total:.1%})  [{kinds}]")
    print(f"ordinary escalating: {len(false_alarms)}/{len(ordinary)} ({len(false_alarms) / len(ordinary):.1%})")
    for kind, m, name, conf in missed:
        print(f"  missed ({kind}): {m!r} -> {name} ({conf:.2f})")
    for m, name, conf, handoff in false_alarms:
        print(f"  false alarm: {m!r} -> {name} ({conf:.2f}) {handoff or ''}")
    overlap = overlap_with_training([m for v in escalate.values() for m in v] + ordinary)
    print(f"  (messages also in training data: {len(overlap)}{': ' + repr(overlap) if overlap else ''})")


def score_nlu(path: Path, parse) -> None:
    rows = load_nlu(path)
    gold, predicted, misses = [], [], []
    serials_total = serials_found = 0
    for intent, example in rows:
        text = plain(example)
        result = parse(text)
        name = result["intent"]["name"]
        gold.append(intent)
        predicted.append(name)
        if name != intent:
            misses.append((text, intent, name, result["intent"].get("confidence")))
        wanted = _SERIAL.findall(example)
        if wanted:
            got = {e["value"] for e in result.get("entities", []) if e.get("entity") == "serial"}
            got |= {text[e["start"] : e["end"]] for e in result.get("entities", []) if e.get("entity") == "serial"}
            serials_total += len(wanted)
            serials_found += sum(1 for s in wanted if s in got)
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    print(f"\n== nlu {path}")
    print(f"accuracy: {correct}/{len(rows)} ({correct / len(rows):.1%}) over {len(set(gold))} intents")
    print(f"intent macro-F1 (labels of the set): {macro_f1(gold, predicted, set(gold)):.3f}")
    print(
        f"intent macro-F1 (labels of the set and predictions, as sklearn): "
        f"{macro_f1(gold, predicted, set(gold) | set(predicted)):.3f}"
    )
    if serials_total:
        print(f"serial entities found (exact span): {serials_found}/{serials_total}")
    confusions = Counter((g, p) for _, g, p, _ in misses)
    for text, g, p, conf in misses:
        print(f"  miss: {text!r} gold {g} -> {p} ({conf:.2f})")
    if confusions:
        print("  confusions: " + ", ".join(f"{g}->{p} x{n}" for (g, p), n in confusions.most_common()))
    overlap = overlap_with_training([plain(e) for _, e in rows])
    print(f"  (messages also in training data: {len(overlap)}{': ' + repr(overlap) if overlap else ''})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--handoff", nargs="*", default=[], type=Path)
    parser.add_argument("--nlu", nargs="*", default=[], type=Path)
    args = parser.parse_args()
    print(f"model: {args.model}")
    with nlu_parser(args.model.resolve()) as parse:
        for path in args.handoff:
            score_handoff(path, parse)
        for path in args.nlu:
            score_nlu(path, parse)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
