"""Renders the synthetic label photos and their truth (issue 18): `generate(out_dir)` writes
`label_0001.jpg`… and `truth.json`; `python -m tests.label_photos.generator OUT_DIR`.

Photo i depends only on (seed, i), so the first photos of a set are the same whatever its
count, and the photos render in parallel."""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

import numpy as np
from PIL import Image

from tests.label_photos import photo as ph
from tests.label_photos.background import Background, draw_panel, render_background, sample_background
from tests.label_photos.fonts import Fonts, find_fonts
from tests.label_photos.label import LAYOUTS, render_label, sample_content, sample_style
from tests.label_photos.serials import in_affected_range, sample_model, sample_serial

TRUTH_FILE = "truth.json"
ASPECTS = (4 / 3, 4 / 3, 3 / 4, 16 / 9, 1.0)  # width / height


@dataclass(frozen=True)
class LabelTruth:
    file: str
    serial: str
    model: str
    in_range: bool  # inside the affected range AR26C000001–AR26G999999
    serial_text: str  # as printed ("AR26 D 004512")
    serial_caption: str
    distractor: str | None
    layout: str
    font: str  # the serial's font file
    size: float  # the serial's capital height in the photo, px (before the keystone)
    rotation: float  # degrees, counter-clockwise
    perspective: ph.Perspective
    camera: ph.Camera  # blur, noise, light, glare, JPEG quality
    background: Background
    photo_size: tuple[int, int]
    label_quad: tuple[tuple[float, float], ...]  # corners in the photo: TL, TR, BR, BL
    serial_quad: tuple[tuple[float, float], ...]  # the printed serial's box in the photo


def make_photo(index: int, seed: int, fonts: Fonts) -> tuple[bytes, LabelTruth]:
    """Photo number `index` (from 1) of the set `seed`: the JPEG bytes and its truth."""
    rng = random.Random(f"label-photos/{seed}/{index}")
    nrng = np.random.default_rng([seed, index])
    layout = rng.choice(LAYOUTS)
    serial, model = sample_serial(rng), sample_model(rng)
    content = sample_content(rng, serial, model, layout)
    style = sample_style(rng, fonts, layout)
    label = render_label(content, style)

    size = ph.sample_text_height(rng)
    scale = size / label.serial_cap_px
    scaled = _scaled(label.image, scale)
    rotation = round(rng.uniform(-ph.MAX_ROTATION, ph.MAX_ROTATION), 2)
    perspective = ph.sample_perspective(rng)
    quad = ph.label_quad(scaled.size, rotation, perspective)
    photo_size = _photo_size(rng, quad)
    quad = _place(rng, quad, photo_size)

    background = sample_background(rng)
    picture = render_background(background, photo_size, rng, nrng, fonts)
    if background.panel:
        draw_panel(picture, quad, rng)
    camera = ph.sample_camera(rng, size, _bounds(quad), photo_size)
    warped, corner = ph.warp(scaled, quad)
    ph.paste_with_shadow(picture, ph.apply_blur(warped, camera.blur), corner, rng)

    truth = LabelTruth(
        file=f"label_{index:04d}.jpg",
        serial=serial,
        model=model,
        in_range=in_affected_range(serial),
        serial_text=content.serial_text,
        serial_caption=content.serial_caption,
        distractor=content.distractor,
        layout=layout,
        font=style.serial_font.name,
        size=size,
        rotation=rotation,
        perspective=perspective,
        camera=camera,
        background=background,
        photo_size=photo_size,
        label_quad=_rounded(quad),
        serial_quad=_rounded(_serial_quad(label.serial_box, scale, scaled.size, quad)),
    )
    return ph.develop(picture, camera, nrng), truth


def _scaled(image: Image.Image, scale: float) -> Image.Image:
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.LANCZOS, reducing_gap=2.0)


def _serial_quad(serial_box, scale: float, label_size: tuple[int, int], quad: list[ph.Point]) -> list[ph.Point]:
    """Where the printed serial's box lands in the photo."""
    width, height = label_size
    to_photo = ph.homography([(0, 0), (width, 0), (width, height), (0, height)], quad)
    left, top, right, bottom = (v * scale for v in serial_box)
    return ph.map_points(to_photo, [(left, top), (right, top), (right, bottom), (left, bottom)])


def _photo_size(rng: random.Random, quad: list[ph.Point]) -> tuple[int, int]:
    """A phone photo's size (1000–1600 px wide), grown if the label would not fit in it."""
    aspect = rng.choice(ASPECTS)
    width = rng.randrange(1000, 1601) if aspect >= 1 else rng.randrange(1000, 1301)
    left, top, right, bottom = _bounds(quad)
    grow = max(1.0, (right - left) / (0.9 * width), (bottom - top) / (0.9 * width / aspect))
    return round(width * grow), round(width / aspect * grow)


def _place(rng: random.Random, quad: list[ph.Point], photo_size: tuple[int, int]) -> list[ph.Point]:
    """The quad moved to a random spot where it lies wholly inside the photo."""
    left, top, right, bottom = _bounds(quad)
    x = rng.uniform(0.03 * photo_size[0] - left, 0.97 * photo_size[0] - right)
    y = rng.uniform(0.03 * photo_size[1] - top, 0.97 * photo_size[1] - bottom)
    return [(px + x, py + y) for px, py in quad]


def _bounds(quad: list[ph.Point]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    return min(xs), min(ys), max(xs), max(ys)


def _rounded(points: list[ph.Point]) -> tuple[tuple[float, float], ...]:
    return tuple((round(x, 1), round(y, 1)) for x, y in points)


def _render_one(index: int, seed: int, fonts: Fonts, out_dir: Path) -> LabelTruth:
    data, truth = make_photo(index, seed, fonts)
    (out_dir / truth.file).write_bytes(data)
    return truth


def generate(out_dir: Path, count: int = 300, seed: int = 18, workers: int | None = None) -> list[LabelTruth]:
    """Writes `count` photos and `truth.json` (a list of dicts, one per photo) into `out_dir`."""
    fonts = find_fonts()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    render = partial(_render_one, seed=seed, fonts=fonts, out_dir=out_dir)
    workers = min(workers or os.cpu_count() or 1, count)
    if workers <= 1:
        truths = [render(i) for i in range(1, count + 1)]
    else:
        with ProcessPoolExecutor(workers) as pool:
            truths = list(pool.map(render, range(1, count + 1), chunksize=max(1, count // (workers * 4))))
    (out_dir / TRUTH_FILE).write_text(json.dumps([asdict(t) for t in truths], indent=1) + "\n", encoding="utf-8")
    return truths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Render synthetic photos of refrigerator labels with their truth.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: one per CPU)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    truths = generate(args.out_dir, args.count, args.seed, args.workers)
    elapsed = time.perf_counter() - started
    print(f"{len(truths)} photos and {TRUTH_FILE} in {args.out_dir} ({elapsed:.1f} s)")


if __name__ == "__main__":
    main()
