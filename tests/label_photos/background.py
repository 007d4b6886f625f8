"""A busy scene around the label: a lit gradient, a texture, random shapes and stray print
(never anything a reader could take for a serial), and the appliance's panel it is stuck on."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from tests.label_photos.fonts import Fonts, load_font
from tests.label_photos.serials import could_pass_for_serial

TEXTURES = ("blotches", "blotches", "grain", "grain", "stripes", "tiles")
WORDS = (
    "FRESH", "Kitchen", "SALE 20% OFF", "Dairy", "Milk 1 L", "Tel. 080 4123 9876", "www.shopnow.in", "Paneer",
    "Best before 12/27", "VEG", "Keep cool", "EAN 8901234567890", "No. 17", "Fragile", "THIS SIDE UP", "Mango Lassi",
    "Cold drinks", "Do not stack", "Service 1800 102 4455", "Warranty card", "Door alarm", "Eco mode",
)  # fmt: skip


@dataclass(frozen=True)
class Background:
    texture: str
    shapes: int
    words: int
    blur: float  # out of focus, px
    panel: bool  # the label sits on a plain appliance panel


def sample_background(rng: random.Random) -> Background:
    return Background(
        texture=rng.choice(TEXTURES),
        shapes=rng.randrange(10, 30),
        words=rng.randrange(4, 14),
        blur=round(rng.choice((0.0, rng.uniform(0.5, 3.0), rng.uniform(0.5, 3.0))), 2),
        panel=rng.random() < 0.75,
    )


def render_background(
    spec: Background, size: tuple[int, int], rng: random.Random, nrng: np.random.Generator, fonts: Fonts
) -> Image.Image:
    """Drawn at half the photo's size and enlarged: a background is never quite in focus."""
    half = (size[0] // 2, size[1] // 2)
    base = _lit_patches(half, rng, nrng, patchy=1.0 if spec.texture == "blotches" else 0.4)
    image = _TEXTURE[spec.texture](base, nrng)
    draw = ImageDraw.Draw(image, "RGBA")
    _shapes(draw, half, spec.shapes, rng)
    _stray_print(draw, half, spec.words, rng, fonts)
    if spec.blur:
        image = image.filter(ImageFilter.GaussianBlur(spec.blur / 2))
    return image.resize(size, Image.BILINEAR)


def draw_panel(image: Image.Image, quad: list[tuple[float, float]], rng: random.Random) -> None:
    """The wall of the appliance around the label (white, silver, beige or black): its quad grown
    to 0.6–1.6 times the photo's width (at least 1.4 times the label's)."""
    cx, cy = (sum(p[0] for p in quad) / 4, sum(p[1] for p in quad) / 4)
    label_width = max(p[0] for p in quad) - min(p[0] for p in quad)
    grow = max(1.4, rng.uniform(0.6, 1.6) * image.width / label_width)
    panel = [(cx + (x - cx) * grow, cy + (y - cy) * grow) for x, y in quad]
    shade = rng.choice((rng.randrange(200, 245), rng.randrange(150, 200), rng.randrange(25, 60)))
    tint = rng.choice(((0, 0, 6), (0, 0, 0), (8, 4, -10)))
    ImageDraw.Draw(image).polygon(panel, fill=tuple(max(0, min(255, shade + t)) for t in tint))


def _colour(rng: random.Random) -> tuple[int, int, int]:
    """A colour of a room, mostly muted: a grey pulled 25–75% towards a random hue."""
    grey, saturation = rng.randrange(40, 230), rng.uniform(0.25, 0.75)
    return tuple(round(grey + saturation * (rng.randrange(20, 235) - grey)) for _ in range(3))


def _lit_patches(size, rng: random.Random, nrng: np.random.Generator, patchy: float) -> Image.Image:
    """A gradient between two colours with soft, slightly tinted light and dark patches (clutter
    out of focus): computed on a coarse grid, then enlarged."""
    width, height = size
    rows, columns = max(2, height // 60), max(2, width // 60)
    ys, xs = np.mgrid[0:rows, 0:columns].astype(np.float32)
    angle = rng.uniform(0, np.pi)
    t = xs / columns * np.cos(angle) + ys / rows * np.sin(angle)
    t = ((t - t.min()) / max(float(t.max() - t.min()), 1e-6))[..., None]
    start, end = np.asarray(_colour(rng), np.float32), np.asarray(_colour(rng), np.float32)
    light = nrng.normal(0, 20 * patchy, (rows, columns, 1)) + nrng.normal(0, 6 * patchy, (rows, columns, 3))
    coarse = np.clip(start + t * (end - start) + light, 0, 255).astype(np.uint8)
    return Image.fromarray(coarse, "RGB").resize(size, Image.BICUBIC)


def _plain(image: Image.Image, nrng: np.random.Generator) -> Image.Image:
    return image


def _stripes(image: Image.Image, nrng: np.random.Generator) -> Image.Image:
    """Fine wavy lines (a fabric, a grille)."""
    width, height = image.size
    period = float(nrng.uniform(4, 20))
    xs = np.arange(width, dtype=np.float32)[None, :] + 3 * np.sin(np.arange(height, dtype=np.float32)[:, None] / 28)
    return _add(image, 18 * np.sin(xs * (2 * np.pi / period)))


def _tiles(image: Image.Image, nrng: np.random.Generator) -> Image.Image:
    """Grout lines of a tiled wall."""
    width, height = image.size
    step = int(nrng.integers(30, 80))
    draw = ImageDraw.Draw(image, "RGBA")
    for x in range(0, width, step):
        draw.rectangle((x, 0, x + 1, height), fill=(0, 0, 0, 50))
    for y in range(0, height, step):
        draw.rectangle((0, y, width, y + 1), fill=(0, 0, 0, 50))
    return image


def _grain(image: Image.Image, nrng: np.random.Generator) -> Image.Image:
    """A grainy surface (stone, cardboard)."""
    width, height = image.size
    return _add(image, nrng.integers(-24, 25, (height, width), dtype=np.int16))


def _add(image: Image.Image, offsets: np.ndarray) -> Image.Image:
    """The image lightened or darkened pixel by pixel (the same on the three channels)."""
    shift = Image.fromarray(np.clip(offsets + 128, 0, 255).astype(np.uint8), "L")
    return ImageChops.add(image, Image.merge("RGB", (shift,) * 3), offset=-128)


_TEXTURE = {"blotches": _plain, "stripes": _stripes, "tiles": _tiles, "grain": _grain}


def _shapes(draw: ImageDraw.ImageDraw, size: tuple[int, int], count: int, rng: random.Random) -> None:
    width, height = size
    for _ in range(count):
        x, y = rng.uniform(-0.1, 1.0) * width, rng.uniform(-0.1, 1.0) * height
        w, h = rng.uniform(0.03, 0.35) * width, rng.uniform(0.03, 0.35) * height
        fill = (*_colour(rng), rng.randrange(60, 230))
        kind = rng.random()
        if kind < 0.35:
            draw.rectangle((x, y, x + w, y + h), fill=fill)
        elif kind < 0.65:
            draw.ellipse((x, y, x + w, y + h), fill=fill)
        elif kind < 0.85:
            draw.line((x, y, x + w, y + h), fill=fill, width=rng.randrange(1, 7))
        else:
            draw.polygon(
                [(x + rng.uniform(0, w), y + rng.uniform(0, h)) for _ in range(rng.randrange(3, 6))], fill=fill
            )


def _stray_print(
    draw: ImageDraw.ImageDraw, size: tuple[int, int], count: int, rng: random.Random, fonts: Fonts
) -> None:
    width, height = size
    for _ in range(count):
        text = _stray_text(rng)
        font = load_font(rng.choice(fonts.any), rng.randrange(8, 35))
        xy = (rng.uniform(-0.05, 0.9) * width, rng.uniform(-0.05, 0.95) * height)
        draw.text(xy, text, font=font, fill=(*_colour(rng), rng.randrange(150, 256)))


def _stray_text(rng: random.Random) -> str:
    while True:
        if rng.random() < 0.7:
            text = rng.choice(WORDS)
        else:
            letters = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(rng.randrange(1, 4)))
            text = f"{letters}-{rng.randrange(10, 99999)}"
        if not could_pass_for_serial(text):
            return text
