"""Reading a label photo (issue 18): `bot.ocr.read_label` on a few generated photos finds the
printed serial among its lines; the preprocessing finds the text's skew. The 300-photo
measurement is benchmarks/bench_photo_reading.py."""

from __future__ import annotations

import re

import cv2
import numpy as np
import pytest

from bot.domain.label_text import serial_candidates
from bot.ocr import UnreadablePhoto, engine_name, read_label
from bot.ocr import preprocessing as prep
from tests.label_photos.fonts import find_fonts
from tests.label_photos.generator import make_photo

SERIAL_FORMAT = re.compile(r"^AR26[A-Z][0-9]{6}$")
PHOTOS = (1, 2, 3)  # of the seed-18 set the benchmark measures on


@pytest.fixture(scope="module")
def fonts():
    return find_fonts()


@pytest.mark.parametrize("index", PHOTOS)
def test_the_serial_on_a_generated_photo_is_among_the_lines_read(fonts, index):
    data, truth = make_photo(index, 18, fonts)
    lines = read_label(data)
    assert truth.serial in [c.serial for c in serial_candidates(lines, SERIAL_FORMAT)], [line.text for line in lines]
    assert all(0 <= line.confidence <= 1 for line in lines)


def test_bytes_that_are_no_image_are_an_unreadable_photo():
    with pytest.raises(UnreadablePhoto):
        read_label(b"not a photo at all")


def test_the_engine_is_named_with_its_version():
    assert re.search(r"\d+\.\d+", engine_name())


def _text_at(angle: float) -> np.ndarray:
    image = np.full((400, 700, 3), 235, np.uint8)
    for row, text in enumerate(("ARCTICA APPLIANCES", "MODEL NO. FF260", "S/N AR26D004512", "230V ~ 50Hz 1.2 A")):
        cv2.putText(image, text, (60, 90 + 80 * row), cv2.FONT_HERSHEY_SIMPLEX, 1.3, (20, 20, 20), 3)
    matrix = cv2.getRotationMatrix2D((350, 200), angle, 1.0)  # counter-clockwise as seen
    return cv2.warpAffine(image, matrix, (700, 400), borderValue=(235, 235, 235))


@pytest.mark.parametrize("angle", [0.0, 4.0, -7.5, 12.0])
def test_deskew_finds_the_angle_the_text_is_turned_by(angle):
    assert prep.skew_angle(_text_at(angle)) == pytest.approx(-angle, abs=1.0)
    assert abs(prep.skew_angle(prep.deskew(_text_at(angle)))) < 1.0


def test_crop_to_text_keeps_the_text_and_drops_the_empty_border():
    image = np.full((900, 1200, 3), 235, np.uint8)
    image[250:650, 250:950] = _text_at(0.0)
    cropped = prep.crop_to_text(image)
    assert cropped.shape[0] < 500 and cropped.shape[1] < 800
    assert prep.text_lines(cropped)
