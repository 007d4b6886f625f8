"""How the phone sees the label: where it lands (scale, rotation, perspective) and what the
camera does to the picture (blur, light, glare, noise, JPEG). Each step is one function."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

Point = tuple[float, float]
MAX_ROTATION = 15.0  # degrees, either way
MAX_KEYSTONE = 0.12  # one edge up to 12% shorter than the opposite one


@dataclass(frozen=True)
class Perspective:
    horizontal: float  # right edge (1 + h) times as tall as the left edge is (1 - h)
    vertical: float  # bottom edge (1 + v) times as wide as the top edge is (1 - v)


@dataclass(frozen=True)
class Glare:
    x: float  # centre, px
    y: float
    rx: float  # radii, px
    ry: float
    angle: float  # degrees
    strength: float  # 0–1: how far the brightest spot goes towards white
    over_label: bool


@dataclass(frozen=True)
class Camera:
    blur: float  # Gaussian radius, px
    noise: float  # sensor noise sigma, grey levels
    brightness: float  # factor
    contrast: float  # factor around mid-grey
    light_falloff: float  # uneven light: ±this across the photo
    light_angle: float  # degrees, the direction it falls off in
    white_balance: tuple[float, float, float]  # per-channel factors
    glare: Glare | None
    jpeg_quality: int


def sample_text_height(rng: random.Random) -> float:
    """The serial's capital height in the photo, px: 14–40, a few small ones (11–14)."""
    return round(rng.uniform(11, 14) if rng.random() < 0.07 else rng.uniform(14, 40), 1)


def sample_perspective(rng: random.Random) -> Perspective:
    return Perspective(
        round(rng.uniform(-MAX_KEYSTONE, MAX_KEYSTONE), 3), round(rng.uniform(-MAX_KEYSTONE, MAX_KEYSTONE), 3)
    )


def sample_camera(rng: random.Random, text_height: float, label_box: tuple[float, float, float, float], size) -> Camera:
    """Distortions a readable phone photo has: the smaller the text, the milder they are."""
    small = text_height < 18
    return Camera(
        blur=round(rng.uniform(0, min(1.6, 0.06 * text_height + 0.2)), 2),
        noise=round(rng.uniform(1, 5 if small else 9), 1),
        brightness=round(rng.uniform(0.75, 1.15), 3),
        contrast=round(rng.uniform(0.75, 1.15), 3),
        light_falloff=round(rng.uniform(0, 0.2), 3),
        light_angle=round(rng.uniform(0, 360), 1),
        white_balance=tuple(round(rng.uniform(0.93, 1.07), 3) for _ in range(3)),
        glare=sample_glare(rng, label_box, size) if rng.random() < 0.7 else None,
        jpeg_quality=rng.randrange(55 if small else 35, 96),
    )


def sample_glare(rng: random.Random, label_box, size) -> Glare:
    """A bright elliptical highlight; over part of the label about half the time (milder then)."""
    left, top, right, bottom = label_box
    over_label = rng.random() < 0.5
    if over_label:
        x, y = rng.uniform(left, right), rng.uniform(top, bottom)
    else:
        x, y = rng.uniform(0, size[0]), rng.uniform(0, size[1])
    rx = rng.uniform(0.05, 0.22) * size[0]
    return Glare(
        round(x, 1),
        round(y, 1),
        round(rx, 1),
        round(rx * rng.uniform(0.3, 0.8), 1),
        round(rng.uniform(0, 180), 1),
        round(rng.uniform(0.25, 0.5 if over_label else 0.8), 3),
        over_label,
    )


def label_quad(size: tuple[int, int], rotation: float, perspective: Perspective) -> list[Point]:
    """The label's corners (top-left, top-right, bottom-right, bottom-left) around (0, 0) after
    the keystone and the rotation (degrees, counter-clockwise as seen, like `Image.rotate`)."""
    half_w, half_h = size[0] / 2, size[1] / 2
    cos, sin = math.cos(math.radians(rotation)), math.sin(math.radians(rotation))
    corners = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        x = sx * half_w * (1 + perspective.vertical * sy)
        y = sy * half_h * (1 + perspective.horizontal * sx)
        corners.append((x * cos + y * sin, -x * sin + y * cos))
    return corners


def homography(source: list[Point], target: list[Point]) -> np.ndarray:
    """The 3x3 projective map taking the 4 source points to the 4 target points."""
    rows, values = [], []
    for (x, y), (u, v) in zip(source, target, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    a, b, c, d, e, f, g, h = np.linalg.solve(np.asarray(rows, float), np.asarray(values, float))
    return np.array([[a, b, c], [d, e, f], [g, h, 1.0]])


def map_points(matrix: np.ndarray, points: list[Point]) -> list[Point]:
    mapped = []
    for x, y in points:
        u, v, w = matrix @ (x, y, 1.0)
        mapped.append((float(u / w), float(v / w)))
    return mapped


def warp(image: Image.Image, quad: list[Point]) -> tuple[Image.Image, Point]:
    """The RGBA image warped onto the quad (Image.transform PERSPECTIVE); returns the warped
    image on its bounding canvas and where that canvas's top-left corner is."""
    left, top = math.floor(min(p[0] for p in quad)), math.floor(min(p[1] for p in quad))
    right, bottom = math.ceil(max(p[0] for p in quad)), math.ceil(max(p[1] for p in quad))
    w, h = image.size
    local = [(x - left, y - top) for x, y in quad]
    to_source = homography(local, [(0, 0), (w, 0), (w, h), (0, h)])
    coefficients = tuple((to_source / to_source[2, 2]).flatten()[:8])
    premultiplied = image.convert("RGBa")
    warped = premultiplied.transform((right - left, bottom - top), Image.PERSPECTIVE, coefficients, Image.BICUBIC)
    return warped.convert("RGBA"), (left, top)


def paste_with_shadow(photo: Image.Image, label: Image.Image, offset: tuple[int, int], rng: random.Random) -> None:
    """The label on the photo, with the soft shadow of its edge."""
    alpha = label.getchannel("A")
    shift = (offset[0] + rng.randrange(-6, 7), offset[1] + rng.randrange(2, 9))
    shadow = alpha.filter(ImageFilter.BoxBlur(6)).point(lambda v: int(v * rng.uniform(0.3, 0.55)))
    photo.paste((0, 0, 0), shift, shadow)
    photo.paste(label, offset, label)


def apply_blur(label: Image.Image, radius: float) -> Image.Image:
    """The lens out of focus on the label (the background is soft already): RGBA, blurred
    premultiplied so its edge blends into what is behind it."""
    if radius <= 0:
        return label
    return label.convert("RGBa").filter(ImageFilter.GaussianBlur(radius)).convert("RGBA")


def apply_light(photo: Image.Image, camera: Camera) -> Image.Image:
    """Brightness, contrast and white balance (a lookup table per channel), then light falling
    off across the photo by ±`light_falloff`."""
    top = 1 + camera.light_falloff
    tables = []
    for gain in camera.white_balance:
        factor = camera.brightness * gain * top
        tables += [min(255, max(0, round(((v - 128) * camera.contrast + 128) * factor))) for v in range(256)]
    lit = photo.point(tables)
    if not camera.light_falloff:
        return lit
    angle = math.radians(camera.light_angle)
    ys, xs = np.mgrid[0:16, 0:16].astype(np.float32) / 15 - 0.5
    ramp = (xs * math.cos(angle) + ys * math.sin(angle)) / 0.7072  # -1..1 across the photo
    shade = (1 + camera.light_falloff * ramp) / top
    falloff = Image.fromarray(np.clip(shade * 255, 0, 255).astype(np.uint8), "L").resize(photo.size, Image.BILINEAR)
    return ImageChops.multiply(lit, Image.merge("RGB", (falloff,) * 3))


def apply_glare(photo: Image.Image, glare: Glare) -> Image.Image:
    """A soft bright ellipse: each pixel moves towards white by up to `strength` (a screen blend)."""
    width, height = photo.size
    shrink = 8
    mask = Image.new("L", (max(1, width // shrink), max(1, height // shrink)), 0)
    cx, cy, rx, ry = glare.x / shrink, glare.y / shrink, glare.rx / shrink, glare.ry / shrink
    spot = Image.new("L", (math.ceil(2 * rx) + 1, math.ceil(2 * rx) + 1), 0)
    ImageDraw.Draw(spot).ellipse((0, rx - ry, 2 * rx, rx + ry), fill=round(255 * glare.strength))
    spot = spot.rotate(glare.angle, resample=Image.BILINEAR)
    mask.paste(spot, (round(cx - rx), round(cy - rx)), spot.point(lambda v: 255 if v else 0))
    mask = mask.filter(ImageFilter.GaussianBlur(max(1.0, ry / 2))).resize((width, height), Image.BILINEAR)
    return ImageChops.screen(photo, Image.merge("RGB", (mask,) * 3))


def apply_noise(photo: Image.Image, sigma: float, nrng: np.random.Generator) -> Image.Image:
    """Sensor noise after the phone's denoising: Gaussian, drawn at half resolution (grains of
    about two pixels), the same on the three channels."""
    width, height = photo.size
    grains = nrng.standard_normal(((height + 1) // 2, (width + 1) // 2), dtype=np.float32) * sigma + 128
    noise = Image.fromarray(np.clip(grains, 0, 255).astype(np.uint8), "L").resize(photo.size, Image.BILINEAR)
    return ImageChops.add(photo, Image.merge("RGB", (noise,) * 3), offset=-128)


def encode_jpeg(photo: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def develop(photo: Image.Image, camera: Camera, nrng: np.random.Generator) -> bytes:
    """The camera's steps after the optics (`apply_blur`, on the label): light, glare, sensor
    noise, JPEG."""
    photo = apply_light(photo, camera)
    if camera.glare is not None:
        photo = apply_glare(photo, camera.glare)
    return encode_jpeg(apply_noise(photo, camera.noise, nrng), camera.jpeg_quality)
