"""What a label prints: the serial (the demo campaign's format), the model, and the codes
beside them that must never pass for a serial."""

from __future__ import annotations

import random
import re
import string

SERIAL_FORMAT = re.compile(r"^AR26[A-Z][0-9]{6}$")
IN_RANGE_LETTERS = "CDEFG"  # the affected range AR26C000001–AR26G999999
OUT_OF_RANGE_LETTERS = "AB" + "HIJKLMNOPQRSTUVWXYZ"
LOOK_ALIKE_DIGITS = "0158"  # O/0, I/1, S/5, B/8
OUT_OF_RANGE_SHARE = 0.10
LOOK_ALIKE_SHARE = 0.35
MODELS = (("FF260", 0.80), ("FF240", 0.10), ("FF300", 0.10))


def sample_serial(rng: random.Random) -> str:
    """A serial of the format: ~90% inside the affected range, the rest outside; about a third
    made mostly of the digits a reader confuses with letters."""
    letters = OUT_OF_RANGE_LETTERS if rng.random() < OUT_OF_RANGE_SHARE else IN_RANGE_LETTERS
    while True:
        digits = _look_alike_digits(rng) if rng.random() < LOOK_ALIKE_SHARE else _plain_digits(rng)
        serial = f"AR26{rng.choice(letters)}{digits}"
        if serial != "AR26C000000":  # the one number below the range with an in-range letter
            return serial


def in_affected_range(serial: str) -> bool:
    return "AR26C000001" <= serial <= "AR26G999999"


def _plain_digits(rng: random.Random) -> str:
    return f"{rng.randrange(1_000_000):06d}"


def _look_alike_digits(rng: random.Random) -> str:
    return "".join(rng.choice(LOOK_ALIKE_DIGITS) if rng.random() < 0.8 else rng.choice(string.digits) for _ in range(6))


def sample_model(rng: random.Random) -> str:
    names, weights = zip(*MODELS, strict=True)
    return rng.choices(names, weights)[0]


def printed_serial(serial: str, split: bool) -> str:
    """The serial as the label prints it: "AR26D004512" or grouped "AR26 D 004512"."""
    return f"{serial[:4]} {serial[4]} {serial[5:]}" if split else serial


def could_pass_for_serial(text: str) -> bool:
    """Whether a distractor or background text might be read as a serial, look-alikes included
    (its letters and digits run together contain "AR2"): such a text is never printed."""
    compact = re.sub(r"[^A-Z0-9]", "", text.upper())
    return "AR2" in compact or "AR" in compact and "26" in compact


def distractor_code(rng: random.Random) -> str:
    """A code a label prints beside the serial that is not the serial (batch, product number)."""
    while True:
        code = rng.choice(_DISTRACTORS)(rng)
        if not could_pass_for_serial(code):
            return code


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


_DISTRACTORS = (
    lambda rng: f"Batch B26-{_digits(rng, 4)}",
    lambda rng: f"PNC {_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}",
    lambda rng: f"Prod. No. {_digits(rng, 7)}",
    lambda rng: f"E-Nr. 26 {_digits(rng, 4)} {_digits(rng, 1)}",
    lambda rng: f"Lot {rng.choice('KLMNPQ')}{_digits(rng, 2)}-{_digits(rng, 3)}",
)
