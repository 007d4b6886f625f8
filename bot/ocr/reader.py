"""The ways of reading a label photo that benchmarks/bench_photo_reading.py compares (an
engine, its settings, the preprocessing before it), and the one `read_label` uses: the
best on the measurement (benchmarks/README.md, "Label photos")."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from bot.domain.label_text import TextLine
from bot.ocr import images, preprocessing
from bot.ocr.rapid import RapidEngine
from bot.ocr.tesseract import TesseractEngine


@dataclass(frozen=True)
class Configuration:
    name: str
    engine: str  # "rapidocr" or "tesseract"
    steps: tuple[str, ...] = ()  # preprocessing.STEPS, in order
    threads: int = 1  # the engine's intra-op (onnxruntime) or OpenMP (Tesseract) threads
    psm: int = 6  # Tesseract's page segmentation mode
    join_rows: bool = False  # RapidOCR: the boxes of one row also joined into one line
    detect_side: int | None = None  # RapidOCR: text detection on the photo scaled to this longest side


CONFIGURATIONS = {
    c.name: c
    for c in (
        Configuration("tesseract-psm6", "tesseract", ("grey",), psm=6),
        Configuration("tesseract-psm11", "tesseract", ("grey",), psm=11),
        Configuration("tesseract-psm6-prep", "tesseract", ("deskew", "crop", "threshold"), psm=6),
        Configuration("tesseract-psm11-prep", "tesseract", ("deskew", "crop", "threshold"), psm=11),
        Configuration("rapidocr-1t", "rapidocr", threads=1),
        Configuration("rapidocr-2t", "rapidocr", threads=2),
        Configuration("rapidocr-rows-1t", "rapidocr", threads=1, join_rows=True),
        Configuration("rapidocr-prep-1t", "rapidocr", ("deskew", "crop"), threads=1, join_rows=True),
        Configuration("rapidocr-det960-1t", "rapidocr", threads=1, join_rows=True, detect_side=960),
    )
}
CHOSEN = CONFIGURATIONS["rapidocr-rows-1t"]

_engines: dict[tuple, RapidEngine | TesseractEngine] = {}
_engines_lock = threading.Lock()


def engine_for(configuration: Configuration) -> RapidEngine | TesseractEngine:
    """The process's engine for the configuration (made once; the models load on first read)."""
    key = replace(configuration, name="", steps=())  # the engine's own settings
    with _engines_lock:
        if key not in _engines:
            if configuration.engine == "rapidocr":
                _engines[key] = RapidEngine(
                    configuration.threads, join_rows=configuration.join_rows, detect_side=configuration.detect_side
                )
            elif configuration.engine == "tesseract":
                _engines[key] = TesseractEngine(configuration.psm, configuration.threads)
            else:
                raise ValueError(f"unknown OCR engine {configuration.engine!r}")
        return _engines[key]


def read_label(image_bytes: bytes, configuration: Configuration = CHOSEN) -> list[TextLine]:
    """The lines of text on the photo. Raises `images.UnreadablePhoto` for bytes that are no image."""
    pixels = preprocessing.apply(images.decode(image_bytes), configuration.steps)
    return engine_for(configuration).read(pixels)


def engine_name(configuration: Configuration = CHOSEN) -> str:
    """The engine and its version, with the configuration's name ("rapidocr-onnxruntime 1.4.4
    (onnxruntime 1.32.0) [rapidocr-rows-1t]"), for the record."""
    return f"{engine_for(configuration).version()} [{configuration.name}]"
