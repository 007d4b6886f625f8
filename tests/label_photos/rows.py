"""A label drawn as a column of rows (a line of text, a caption and its value, a rule, a
barcode, two columns of small print) on a sheet: each row measures itself, then draws."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

Box = tuple[int, int, int, int]


def cap_height(font: ImageFont.FreeTypeFont) -> float:
    top, bottom = font.getbbox("H", anchor="ls")[1::2]
    return float(bottom - top)


def text_width(font: ImageFont.FreeTypeFont, text: str) -> int:
    return round(font.getlength(text))


def line_height(font: ImageFont.FreeTypeFont) -> int:
    ascent, descent = font.getmetrics()
    return ascent + descent


@dataclass
class Sheet:
    """The print settings shared by the rows: fonts by role, ink, padding and row gap."""

    fonts: dict[str, ImageFont.FreeTypeFont]
    ink: tuple[int, int, int]
    pad: int
    gap: int
    value_x: int = 0  # where the values of the caption/value rows start (aligned)

    def draw(self, rows: list[Row], paper: tuple[int, int, int], shape: str) -> tuple[Image.Image, Box]:
        """The label (RGBA, transparent outside its shape) and where its serial is printed."""
        pairs = [row for row in rows if isinstance(row, Pair) and not row.spread]
        self.value_x = max((text_width(self.fonts[p.caption_role], p.caption) for p in pairs), default=0) + self.gap * 2
        inner = max(row.width(self) for row in rows)
        width = inner + 2 * self.pad
        height = sum(row.height(self) for row in rows) + self.gap * (len(rows) - 1) + 2 * self.pad
        image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        _draw_shape(draw, (width, height), paper, self.ink, shape, self.pad)
        y, serial_box = self.pad, (0, 0, 0, 0)
        for row in rows:
            box = row.draw(self, draw, self.pad, y, inner)
            if box is not None:
                serial_box = box
            y += row.height(self) + self.gap
        return image, serial_box


def _draw_shape(draw: ImageDraw.ImageDraw, size: tuple[int, int], paper, ink, shape: str, pad: int) -> None:
    box = (0, 0, size[0] - 1, size[1] - 1)
    if shape == "rounded":
        draw.rounded_rectangle(box, radius=pad, fill=(*paper, 255))
    else:
        draw.rectangle(box, fill=(*paper, 255))
    if shape == "border":
        inset = pad // 3
        draw.rectangle((inset, inset, size[0] - 1 - inset, size[1] - 1 - inset), outline=(*ink, 255), width=3)


class Row:
    def height(self, sheet: Sheet) -> int:
        raise NotImplementedError

    def width(self, sheet: Sheet) -> int:
        raise NotImplementedError

    def draw(self, sheet: Sheet, draw: ImageDraw.ImageDraw, x: int, y: int, inner: int) -> Box | None:
        """Draws the row at (x, y) across `inner` pixels; returns the serial's box if it prints it."""
        raise NotImplementedError


@dataclass
class Text(Row):
    text: str
    role: str
    align: str = "left"  # or "center"
    is_serial: bool = False

    def height(self, sheet: Sheet) -> int:
        return line_height(sheet.fonts[self.role])

    def width(self, sheet: Sheet) -> int:
        return text_width(sheet.fonts[self.role], self.text)

    def draw(self, sheet, draw, x, y, inner):
        left = x + (inner - self.width(sheet)) // 2 if self.align == "center" else x
        return _text(draw, (left, y), self.text, sheet, self.role, self.is_serial)


@dataclass
class Pair(Row):
    """A caption and its value on one line ("S/N:  AR26D004512"); `boxed` draws the cells of a
    table, `spread` puts the value at the right end."""

    caption: str
    value: str
    caption_role: str
    value_role: str
    boxed: bool = False
    spread: bool = False
    is_serial: bool = False

    def height(self, sheet: Sheet) -> int:
        tallest = max(line_height(sheet.fonts[self.caption_role]), line_height(sheet.fonts[self.value_role]))
        return tallest + (sheet.gap if self.boxed else 0)

    def width(self, sheet: Sheet) -> int:
        value = text_width(sheet.fonts[self.value_role], self.value)
        if self.spread:
            return text_width(sheet.fonts[self.caption_role], self.caption) + 3 * sheet.gap + value
        return sheet.value_x + value + (sheet.gap if self.boxed else 0)

    def draw(self, sheet, draw, x, y, inner):
        height = self.height(sheet)
        inset = sheet.gap // 2 if self.boxed else 0
        if self.boxed:
            line = (*sheet.ink, 255)
            draw.rectangle((x, y, x + inner, y + height), outline=line, width=2)
            draw.line((x + sheet.value_x - sheet.gap, y, x + sheet.value_x - sheet.gap, y + height), fill=line, width=2)
        value_left = (
            x + inner - text_width(sheet.fonts[self.value_role], self.value) if self.spread else x + sheet.value_x
        )
        _text(draw, (x + inset, _baseline(sheet, self, y + inset)), self.caption, sheet, self.caption_role, False, "ls")
        return _text(
            draw,
            (value_left, _baseline(sheet, self, y + inset)),
            self.value,
            sheet,
            self.value_role,
            self.is_serial,
            "ls",
        )


def _baseline(sheet: Sheet, pair: Pair, top: int) -> int:
    """The shared baseline of a caption and a value of different sizes."""
    return top + max(sheet.fonts[pair.caption_role].getmetrics()[0], sheet.fonts[pair.value_role].getmetrics()[0])


def _text(draw, xy, text, sheet: Sheet, role: str, is_serial: bool, anchor: str = "la") -> Box | None:
    font = sheet.fonts[role]
    draw.text(xy, text, font=font, fill=(*sheet.ink, 255), anchor=anchor)
    return tuple(round(v) for v in draw.textbbox(xy, text, font=font, anchor=anchor)) if is_serial else None


@dataclass
class Rule(Row):
    def height(self, sheet: Sheet) -> int:
        return 4

    def width(self, sheet: Sheet) -> int:
        return 0

    def draw(self, sheet, draw, x, y, inner):
        draw.rectangle((x, y, x + inner, y + 3), fill=(*sheet.ink, 255))
        return None


@dataclass
class Columns(Row):
    """Small print in two columns."""

    lines: list[str]
    role: str

    def _halves(self) -> tuple[list[str], list[str]]:
        middle = (len(self.lines) + 1) // 2
        return self.lines[:middle], self.lines[middle:]

    def height(self, sheet: Sheet) -> int:
        return len(self._halves()[0]) * (line_height(sheet.fonts[self.role]) + sheet.gap // 2)

    def width(self, sheet: Sheet) -> int:
        font = sheet.fonts[self.role]
        return sum(max((text_width(font, t) for t in half), default=0) for half in self._halves()) + 3 * sheet.gap

    def draw(self, sheet, draw, x, y, inner):
        font = sheet.fonts[self.role]
        left, right = self._halves()
        second_x = x + max(text_width(font, t) for t in left) + 3 * sheet.gap
        step = line_height(font) + sheet.gap // 2
        for column_x, half in ((x, left), (second_x, right)):
            for i, line in enumerate(half):
                _text(draw, (column_x, y + i * step), line, sheet, self.role, False)
        return None


@dataclass
class Barcode(Row):
    """Random bars (not a decodable symbology: only there to be ignored)."""

    modules: list[int] = field(default_factory=list)  # bar, space, bar, ... widths in modules
    module_px: int = 4
    bar_height: int = 52

    @classmethod
    def random(cls, rng: random.Random, count: int = 60) -> Barcode:
        return cls([rng.choice((1, 1, 2, 3, 4)) for _ in range(count | 1)], module_px=rng.choice((3, 4)))

    def height(self, sheet: Sheet) -> int:
        return self.bar_height

    def width(self, sheet: Sheet) -> int:
        return sum(self.modules) * self.module_px

    def draw(self, sheet, draw, x, y, inner):
        for i, modules in enumerate(self.modules):
            if i % 2 == 0:
                draw.rectangle((x, y, x + modules * self.module_px - 1, y + self.bar_height), fill=(*sheet.ink, 255))
            x += modules * self.module_px
        return None
