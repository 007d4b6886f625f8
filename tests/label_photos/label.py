"""The label itself, flat and sharp: what it prints (`LabelContent`), how (`LabelStyle`: layout,
paper, ink, fonts) and `render_label`, which draws it at a fixed print size (the serial's
font is `SERIAL_PX`); the photo scales it down to the size it is seen at."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from tests.label_photos import rows as r
from tests.label_photos.fonts import Fonts, load_font
from tests.label_photos.serials import distractor_code, printed_serial

SERIAL_PX = 56  # the serial's font size on the flat label (capitals ~41 px: the largest seen is 40)
LAYOUTS = ("white_plate", "silver_table", "yellow_energy", "mono_sticker", "grey_stacked")
SERIAL_CAPTIONS = ("S/N:", "S/N", "Serial No.", "Serial No:", "SER. NO", "SN")
MODEL_CAPTIONS = ("Model:", "MODEL NO.", "Model", "MOD.")
Rgb = tuple[int, int, int]


@dataclass(frozen=True)
class LabelContent:
    brand: str
    model_caption: str
    model: str
    serial_caption: str
    serial: str
    serial_text: str  # as printed: "AR26D004512" or "AR26 D 004512"
    ratings: tuple[tuple[str, str], ...]  # (caption, value): ("Refrigerant", "R600a 38 g")
    distractor: str | None  # a code that is not the serial ("Batch B26-0413")


@dataclass(frozen=True)
class LabelStyle:
    layout: str
    paper: Rgb
    ink: Rgb
    brand_font: Path
    text_font: Path  # captions and ratings
    serial_font: Path
    barcode_seed: int


@dataclass(frozen=True)
class RenderedLabel:
    image: Image.Image  # RGBA: transparent outside the label's shape
    serial_box: tuple[int, int, int, int]  # where the serial is printed (left, top, right, bottom)
    serial_cap_px: float  # the height of the serial's capitals


def sample_content(rng: random.Random, serial: str, model: str, layout: str) -> LabelContent:
    volume = int(model[2:])
    ratings = [
        (
            "Rated",
            f"{rng.choice(('220-240V ~ 50Hz', '230V ~ 50Hz', '220-240 V~ 50 Hz'))}  {rng.choice(('1.2', '0.9'))} A",
        ),
        ("Refrigerant", f"R600a {rng.randrange(30, 56)} g"),
        ("Gross vol.", f"{volume} L"),
        ("Net vol.", f"{volume - rng.randrange(12, 30)} L"),
        ("Climate class", rng.choice(("N-ST", "SN-T", "ST"))),
        ("Made in", "India"),
        ("Mfg.", f"{rng.randrange(1, 13):02d}/{rng.choice((2025, 2026))}"),
    ]
    keep = sorted(rng.sample(range(len(ratings)), rng.randrange(3, 6)))
    return LabelContent(
        brand=rng.choice(("ARCTICA", "ARCTICA", "Arctica Appliances")),
        model_caption=rng.choice(MODEL_CAPTIONS),
        model=model,
        serial_caption=rng.choice(SERIAL_CAPTIONS),
        serial=serial,
        serial_text=printed_serial(serial, split=rng.random() < 0.18),
        ratings=tuple(ratings[i] for i in keep),
        distractor=distractor_code(rng) if rng.random() < 0.45 else None,
    )


def sample_style(rng: random.Random, fonts: Fonts, layout: str) -> LabelStyle:
    paper = {
        "white_plate": (rng.randrange(238, 253), rng.randrange(238, 253), rng.randrange(232, 250)),
        "silver_table": _grey(rng, 192, 214),
        "yellow_energy": (rng.randrange(236, 252), rng.randrange(196, 220), rng.randrange(30, 80)),
        "mono_sticker": (rng.randrange(240, 254), rng.randrange(240, 254), rng.randrange(236, 252)),
        "grey_stacked": _grey(rng, 208, 226),
    }[layout]
    ink = (
        _grey(rng, 10, 40)
        if rng.random() < 0.6
        else (rng.randrange(15, 35), rng.randrange(30, 55), rng.randrange(90, 125))
    )
    mono = layout == "mono_sticker"
    serial_role = rng.choice(
        ("mono", "mono_bold") if mono else ("sans", "sans_bold", "condensed_bold", "serif", "mono")
    )
    return LabelStyle(
        layout=layout,
        paper=paper,
        ink=ink,
        brand_font=fonts.pick(rng.choice(("sans_bold", "serif_bold", "condensed_bold")), rng.choice),
        text_font=fonts.pick("mono" if mono else rng.choice(("sans", "condensed", "serif")), rng.choice),
        serial_font=fonts.pick(serial_role, rng.choice),
        barcode_seed=rng.randrange(1 << 30),
    )


def _grey(rng: random.Random, low: int, high: int) -> Rgb:
    v = rng.randrange(low, high)
    return (v, v, v + rng.randrange(0, 6))


def render_label(content: LabelContent, style: LabelStyle) -> RenderedLabel:
    fonts = {
        "brand": load_font(style.brand_font, round(SERIAL_PX * 1.15)),
        "caption": load_font(style.text_font, round(SERIAL_PX * 0.62)),
        "model": load_font(style.serial_font, round(SERIAL_PX * 0.8)),
        "serial": load_font(style.serial_font, SERIAL_PX),
        "small": load_font(style.text_font, round(SERIAL_PX * 0.5)),
    }
    sheet = r.Sheet(fonts, style.ink, pad=round(SERIAL_PX * 0.45), gap=round(SERIAL_PX * 0.22))
    rows = _LAYOUT_ROWS[style.layout](content, random.Random(style.barcode_seed))
    image, serial_box = sheet.draw(rows, style.paper, shape=_SHAPES[style.layout])
    if style.layout == "silver_table":
        image = _brushed(image)
    return RenderedLabel(image, serial_box, r.cap_height(fonts["serial"]))


def _brushed(image: Image.Image) -> Image.Image:
    """A silver plate's sheen: a soft light band across it."""
    width, height = image.size
    band = Image.linear_gradient("L").resize((width, height)).rotate(90, expand=False)
    band = band.point(lambda v: int(48 * max(0.0, 1 - abs(v - 128) / 128)))
    light = Image.new("RGBA", image.size, (255, 255, 255, 0))
    light.putalpha(Image.composite(band, Image.new("L", image.size, 0), image.getchannel("A")))
    return Image.alpha_composite(image, light)


def _lines(ratings: tuple[tuple[str, str], ...]) -> list[str]:
    return [value if caption == "Rated" else f"{caption} {value}" for caption, value in ratings]


def _white_plate(c: LabelContent, rng: random.Random) -> list[r.Row]:
    return [
        r.Pair(c.brand, "Refrigerator", "brand", "caption", spread=True),
        r.Rule(),
        r.Pair(c.model_caption, c.model, "caption", "model"),
        r.Pair(c.serial_caption, c.serial_text, "caption", "serial", is_serial=True),
        r.Barcode.random(rng),
        *(r.Text(line, "small") for line in _lines(c.ratings)),
        *([r.Text(c.distractor, "small")] if c.distractor else []),
    ]


def _silver_table(c: LabelContent, rng: random.Random) -> list[r.Row]:
    rated = [(caption, value) for caption, value in c.ratings if caption not in ("Made in", "Mfg.")][:3]
    return [
        r.Text(c.brand, "brand", align="center"),
        r.Pair(c.model_caption.rstrip(":."), c.model, "caption", "model", boxed=True),
        r.Pair(c.serial_caption.rstrip(":"), c.serial_text, "caption", "serial", boxed=True, is_serial=True),
        *(r.Pair(caption, value, "small", "small", boxed=True) for caption, value in rated),
        r.Barcode.random(rng),
        *([r.Text(c.distractor, "small", align="center")] if c.distractor else []),
        r.Text("Made in India", "small", align="center"),
    ]


def _yellow_energy(c: LabelContent, rng: random.Random) -> list[r.Row]:
    return [
        r.Text(c.brand, "brand"),
        r.Rule(),
        r.Barcode.random(rng),
        r.Pair(c.serial_caption, c.serial_text, "caption", "serial", is_serial=True),
        r.Pair(c.model_caption, c.model, "caption", "model"),
        r.Columns(_lines(c.ratings), "small"),
        *([r.Text(c.distractor, "caption")] if c.distractor else []),
    ]


def _mono_sticker(c: LabelContent, rng: random.Random) -> list[r.Row]:
    return [
        r.Text(c.brand, "caption"),
        r.Pair(c.model_caption, c.model, "caption", "model"),
        r.Text(c.serial_caption, "caption"),
        r.Text(c.serial_text, "serial", is_serial=True),
        r.Barcode.random(rng),
        *([r.Text(c.distractor, "small")] if c.distractor else []),
        r.Text(_lines(c.ratings)[-1], "small"),
    ]


def _grey_stacked(c: LabelContent, rng: random.Random) -> list[r.Row]:
    return [
        r.Text(c.brand, "brand"),
        r.Text(c.model_caption, "small"),
        r.Text(c.model, "model"),
        r.Text(c.serial_caption, "small"),
        r.Text(c.serial_text, "serial", is_serial=True),
        r.Barcode.random(rng),
        r.Rule(),
        r.Columns(_lines(c.ratings), "small"),
        *([r.Text(c.distractor, "small")] if c.distractor else []),
    ]


_LAYOUT_ROWS = {
    "white_plate": _white_plate,
    "silver_table": _silver_table,
    "yellow_energy": _yellow_energy,
    "mono_sticker": _mono_sticker,
    "grey_stacked": _grey_stacked,
}
_SHAPES = {
    "white_plate": "border",
    "silver_table": "plain",
    "yellow_energy": "rounded",
    "mono_sticker": "rounded",
    "grey_stacked": "border",
}
