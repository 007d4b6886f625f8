"""The label-photo generator: deterministic for a seed, the truth consistent with the photos."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.label_photos.fonts import NoFonts, find_fonts
from tests.label_photos.generator import TRUTH_FILE, generate, make_photo
from tests.label_photos.photo import MAX_ROTATION
from tests.label_photos.serials import SERIAL_FORMAT, could_pass_for_serial, in_affected_range, sample_serial

COUNT = 12


@pytest.fixture(scope="module")
def photo_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    out_dir = tmp_path_factory.mktemp("label_photos")
    return out_dir, generate(out_dir, count=COUNT, seed=7, workers=1)


def test_the_set_has_the_count_of_photos_and_a_truth_for_each(photo_set):
    out_dir, truths = photo_set
    written = json.loads((out_dir / TRUTH_FILE).read_text(encoding="utf-8"))
    assert len(truths) == len(written) == COUNT
    assert [t["file"] for t in written] == [f"label_{i:04d}.jpg" for i in range(1, COUNT + 1)]
    assert sorted(p.name for p in out_dir.glob("*.jpg")) == [t["file"] for t in written]
    assert {"serial", "model", "layout", "font", "size", "rotation", "perspective", "camera"} <= set(written[0])


def test_every_photo_is_a_jpeg(photo_set):
    out_dir, truths = photo_set
    for truth in truths:
        with Image.open(out_dir / truth.file) as image:
            assert image.format == "JPEG"
            assert image.size == tuple(truth.photo_size)
            assert image.width >= 1000


def test_every_serial_is_of_the_format_and_the_rotation_within_15_degrees(photo_set):
    _, truths = photo_set
    for truth in truths:
        assert SERIAL_FORMAT.match(truth.serial)
        assert truth.serial_text.replace(" ", "") == truth.serial
        assert truth.in_range == in_affected_range(truth.serial)
        assert abs(truth.rotation) <= MAX_ROTATION
        assert 11 <= truth.size <= 40


def test_the_same_seed_gives_the_same_truth_and_the_same_bytes(photo_set):
    out_dir, truths = photo_set
    fonts = find_fonts()
    for index in (1, 5, COUNT):
        data, truth = make_photo(index, 7, fonts)
        assert truth == truths[index - 1]
        assert data == (out_dir / truth.file).read_bytes()
    assert make_photo(1, 8, fonts)[1] != truths[0]


def test_serials_are_mostly_in_the_range_with_some_outside_and_look_alike_digits():
    rng = random.Random(1)
    serials = [sample_serial(rng) for _ in range(2000)]
    outside = sum(not in_affected_range(s) for s in serials) / len(serials)
    assert 0.05 < outside < 0.15
    assert sum(len(re.findall("[0158]", s[5:])) >= 5 for s in serials) > 400


@pytest.mark.parametrize(
    ("text", "could"),
    [("Batch B26-0413", False), ("PNC 925 052 311", False), ("AR26D004512", True), ("ar 2G-D0O4512", True)],
)
def test_no_distractor_or_background_text_could_pass_for_a_serial(text, could):
    assert could_pass_for_serial(text) is could


def test_no_fonts_is_a_clear_error(tmp_path):
    with pytest.raises(NoFonts, match="no TrueType font"):
        find_fonts((tmp_path,))
