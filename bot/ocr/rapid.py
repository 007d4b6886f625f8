"""The RapidOCR engine (PP-OCRv4 text detection and recognition on onnxruntime; the
`rapidocr-onnxruntime` wheel ships the three models, so nothing is downloaded).

One engine per process and thread count, made on first use (loading the models takes about
a second) under a lock; one photo at a time per engine, under another lock: beside Rasa on
a 2-core machine, two photos read at once would only fight for the same cores.
"""

from __future__ import annotations

import logging
import threading
from importlib import metadata
from typing import Any

import numpy as np

from bot.domain.label_text import TextLine

NAME = "rapidocr-onnxruntime"
ROW_OVERLAP = 0.5  # two boxes whose vertical extents overlap by half the smaller height are one row


class RapidEngine:
    def __init__(self, threads: int = 1, *, join_rows: bool = False, detect_side: int | None = None) -> None:
        self.threads = threads
        self.join_rows = join_rows
        self.detect_side = detect_side  # detection on the photo scaled to this longest side (default: as it is)
        self._ocr: Any = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()

    def version(self) -> str:
        return f"{NAME} {metadata.version(NAME)} (onnxruntime {metadata.version('onnxruntime')})"

    def _engine(self) -> Any:
        if self._ocr is None:
            with self._load_lock:
                if self._ocr is None:
                    from rapidocr_onnxruntime import RapidOCR  # heavy: onnxruntime and the models, on first use

                    limit = {"det_limit_side_len": self.detect_side, "det_limit_type": "max"}
                    ocr = RapidOCR(
                        intra_op_num_threads=self.threads, inter_op_num_threads=1, **(limit if self.detect_side else {})
                    )
                    logging.getLogger("RapidOCR").setLevel(logging.WARNING)
                    self._ocr = ocr
        return self._ocr

    def load(self) -> None:
        """Load the models now (a benchmark does, so that the first photo is not timed with them)."""
        self._engine()

    def read(self, pixels: np.ndarray) -> list[TextLine]:
        """The text boxes found, top to bottom (each box a line; with `join_rows`, the boxes
        of one row are also given joined left to right, as one more line)."""
        engine = self._engine()
        with self._run_lock:
            result, _ = engine(pixels)
        boxes = [(np.asarray(box, dtype=float), str(text), float(score)) for box, text, score in result or []]
        lines = [TextLine(text, score) for _, text, score in boxes]
        if self.join_rows:
            lines += [row for row in _rows(boxes) if row not in lines]
        return lines


def _rows(boxes: list[tuple[np.ndarray, str, float]]) -> list[TextLine]:
    """Boxes side by side on one row, joined left to right (confidence: the lowest of
    them); only rows of two or more boxes."""
    spans = [(box[:, 1].min(), box[:, 1].max(), box[:, 0].min(), text, score) for box, text, score in boxes]
    rows: list[list[tuple]] = []
    for span in sorted(spans, key=lambda s: (s[0] + s[1]) / 2):
        top, bottom = span[0], span[1]
        for row in rows:
            r_top, r_bottom = row[0][0], row[0][1]
            overlap = min(bottom, r_bottom) - max(top, r_top)
            if overlap >= ROW_OVERLAP * min(bottom - top, r_bottom - r_top):
                row.append(span)
                break
        else:
            rows.append([span])
    return [
        TextLine(" ".join(s[3] for s in sorted(row, key=lambda s: s[2])), min(s[4] for s in row))
        for row in rows
        if len(row) > 1
    ]
