"""Write a buyer CSV for the import benchmark: N rows, deterministic, ~1% bad rows.

    .venv/bin/python benchmarks/generate_buyers.py 100000 benchmarks/data/buyers-100000.csv

Valid rows use the demo campaign's serial format (AR26 + letter + 6 digits), Indian
mobile numbers in the shapes real exports have, and every optional column; about 5%
of rows are a second unit of an earlier buyer. The bad rows (a bad phone, a missing
serial, a serial in the wrong format, a repeated row, a ragged row, a bad price) are
each about 1/6 of 1% of the file.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import string
from pathlib import Path

HEADER = [
    "name",
    "phone",
    "serial",
    "model",
    "purchase_date",
    "price",
    "retailer",
    "address",
    "postcode",
    "whatsapp_opt_in",
]
FIRST = [
    "Asha",
    "Vikram",
    "Priya",
    "Rahul",
    "Meera",
    "Arjun",
    "Kavya",
    "Rohan",
    "Divya",
    "Sanjay",
    "Ananya",
    "Karthik",
    "Neha",
    "Aditya",
    "Lakshmi",
    "Imran",
    "Fatima",
    "Gurpreet",
    "Sneha",
    "Manoj",
]
LAST = [
    "Rao",
    "Nair",
    "Sharma",
    "Iyer",
    "Patel",
    "Reddy",
    "Khan",
    "Singh",
    "Das",
    "Menon",
    "Kulkarni",
    "Joshi",
    "Gupta",
    "Pillai",
    "Mehta",
    "Banerjee",
    "Shetty",
    "Chopra",
]
CITIES = [("Pune", "4110"), ("Bengaluru", "5600"), ("Mumbai", "4000"), ("Chennai", "6000"), ("Delhi", "1100")]
RETAILERS = ["Croma", "Reliance Digital", "Vijay Sales", "Amazon.in", "Flipkart", "Local dealer"]
BAD_KINDS = ["phone", "serial_missing", "serial_format", "duplicate", "ragged", "price"]


def _phone(rng: random.Random, number: str) -> str:
    """The same Indian mobile in one of the shapes buyer lists contain."""
    local = number[3:]
    shape = rng.randrange(4)
    return [f"+91{local}", f"{local[:5]} {local[5:]}", f"0{local}", f"+91-{local[:5]}-{local[5:]}"][shape]


def _serial(rng: random.Random, index: int, letters: str) -> str:
    letter, digits = divmod(index, 1_000_000)
    serial = f"AR26{letters[letter]}{digits:06d}"
    return serial if rng.random() < 0.8 else f"{serial[:4].lower()}-{serial[4]} {serial[5:]}"


def generate(
    rows: int,
    path: Path,
    seed: int = 2026,
    bad_share: float = 0.01,
    second_unit_share: float = 0.05,
    letters: str = string.ascii_uppercase,
) -> None:
    """`letters`: the serials' fifth character (the demo recall affects C to G)."""
    rng = random.Random(seed)
    serial_indexes = rng.sample(range(len(letters) * 1_000_000), rows)
    phones: list[str] = []
    previous: list[str] = HEADER
    start = dt.date(2026, 3, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for i in range(rows):
            if phones and rng.random() < second_unit_share:
                phone = rng.choice(phones)
            else:
                phone = f"+9198{rng.randrange(10**8):08d}"
                phones.append(phone)
            city, prefix = rng.choice(CITIES)
            row = [
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                _phone(rng, phone),
                _serial(rng, serial_indexes[i], letters),
                "FF260",
                (start + dt.timedelta(days=rng.randrange(150))).isoformat(),
                f"{rng.choice([29990, 32990, 34990])}.00",
                rng.choice(RETAILERS),
                f"{rng.randrange(1, 400)} MG Road, {city}",
                f"{prefix}{rng.randrange(1, 99):02d}",
                rng.choice(["yes", "no", ""]),
            ]
            if rng.random() < bad_share:
                row = _spoil(rng, row, previous)
            writer.writerow(row)
            previous = row


def _spoil(rng: random.Random, row: list[str], previous: list[str]) -> list[str]:
    kind = rng.choice(BAD_KINDS)
    if kind == "phone":
        return [row[0], "12345", *row[2:]]
    if kind == "serial_missing":
        return [*row[:2], "", *row[3:]]
    if kind == "serial_format":
        return [*row[:2], "XY12", *row[3:]]
    if kind == "duplicate" and previous[0] != "name":
        return list(previous)
    if kind == "ragged":
        return [*row, "extra"]
    return [*row[:5], "thirty thousand", *row[6:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", type=int)
    parser.add_argument("path", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    generate(args.rows, args.path, args.seed)


if __name__ == "__main__":
    main()
