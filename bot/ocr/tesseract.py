"""The Tesseract engine (Debian's `tesseract-ocr`, LSTM model `eng`), through pytesseract,
which runs the `tesseract` program once per photo.

Tesseract's own threads (OpenMP) are capped by OMP_THREAD_LIMIT in the environment the
program inherits: set here for this process's children, unless already set.
"""

from __future__ import annotations

import os
from collections import defaultdict

import cv2
import numpy as np

from bot.domain.label_text import TextLine

NAME = "tesseract"
TIMEOUT_SECONDS = 30


class TesseractEngine:
    def __init__(self, psm: int = 6, threads: int = 1) -> None:
        self.psm = psm
        self.threads = threads

    def version(self) -> str:
        import pytesseract

        return f"{NAME} {pytesseract.get_tesseract_version()} (pytesseract {pytesseract.__version__}, psm {self.psm})"

    def load(self) -> None:
        os.environ.setdefault("OMP_THREAD_LIMIT", str(self.threads))

    def read(self, pixels: np.ndarray) -> list[TextLine]:
        """Tesseract's lines (words grouped by block, paragraph and line), each with the
        mean of its words' confidences (0–1)."""
        import pytesseract

        self.load()
        image = cv2.cvtColor(pixels, cv2.COLOR_BGR2RGB) if pixels.ndim == 3 else pixels
        data = pytesseract.image_to_data(
            image, config=f"--oem 1 --psm {self.psm}", output_type=pytesseract.Output.DICT, timeout=TIMEOUT_SECONDS
        )
        words: dict[tuple[int, int, int], list[tuple[str, float]]] = defaultdict(list)
        for i, text in enumerate(data["text"]):
            confidence = float(data["conf"][i])
            if confidence >= 0 and str(text).strip():
                key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
                words[key].append((str(text).strip(), confidence / 100))
        return [
            TextLine(" ".join(w for w, _ in line), sum(c for _, c in line) / len(line))
            for _, line in sorted(words.items())
        ]
