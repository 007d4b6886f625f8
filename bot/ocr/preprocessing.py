"""Preprocessing of a label photo before an engine reads it: grey, threshold, deskew, crop
to text. Each step takes and returns a uint8 pixel array (BGR or grey) and may be left out;
which ones pay is measured per engine (benchmarks/bench_photo_reading.py).

Deskew and crop find the text the same way: the morphological gradient of the grey image
(strong at character edges), Otsu-thresholded, closed with a wide flat kernel so that the
characters of a line merge into one long blob; blobs much wider than high are text lines.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import cv2
import numpy as np

MAX_SKEW_DEGREES = 20.0  # a photo turned further than this is not "skewed": left to the engine
MIN_SKEW_DEGREES = 0.5  # below this a rotation only blurs
CROP_MARGIN = 0.04  # of the text box's larger side, kept around the text


def grey(pixels: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY) if pixels.ndim == 3 else pixels


def threshold(pixels: np.ndarray) -> np.ndarray:
    """Black text on white: an adaptive (local Gaussian) threshold, which copes with the
    shadow or glare across part of a label that a global threshold does not."""
    image = cv2.GaussianBlur(grey(pixels), (3, 3), 0)
    block = max(15, (min(image.shape[:2]) // 30) | 1)  # odd, about a character's size
    binary = cv2.adaptiveThreshold(image, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 15)
    if np.mean(binary) < 127:  # light text on a dark label: make it dark on light
        binary = 255 - binary
    return binary


def text_lines(pixels: np.ndarray) -> list[tuple[tuple[float, float], tuple[float, float], float]]:
    """The rotated rectangles (cv2.minAreaRect) of the blobs that look like lines of text."""
    image = grey(pixels)
    height, width = image.shape[:2]
    gradient = cv2.morphologyEx(image, cv2.MORPH_GRADIENT, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3)))
    _, edges = cv2.threshold(gradient, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    reach = max(9, width // 60)
    merged = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, 3)))
    # Outer boundaries of every blob, those inside another's hole too: the label's own edge
    # is a closed ring around all of its text.
    contours, hierarchy = cv2.findContours(merged, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    lines = []
    for contour, (_, _, _, parent) in zip(contours, hierarchy[0] if hierarchy is not None else (), strict=False):
        if parent != -1:  # a hole
            continue
        rect = cv2.minAreaRect(contour)
        long_side, short_side = max(rect[1]), min(rect[1])
        if short_side >= 6 and long_side >= 3 * short_side and short_side < height / 8 and long_side < 0.98 * width:
            lines.append(rect)
    return lines


def _long_side_angle(rect) -> float:
    """The angle (degrees, -90..90) of a rectangle's long side against the horizontal."""
    corners = cv2.boxPoints(rect)
    edges = [corners[(i + 1) % 4] - corners[i] for i in range(2)]
    dx, dy = max(edges, key=lambda e: float(np.hypot(*e)))
    angle = math.degrees(math.atan2(float(dy), float(dx)))
    return (angle + 90) % 180 - 90


def skew_angle(pixels: np.ndarray) -> float:
    """The text lines' angle (degrees; positive = turned clockwise in image coordinates):
    the median of the near-horizontal lines' angles, weighted by their length; 0 when there
    are none."""
    found = [(_long_side_angle(r), max(r[1])) for r in text_lines(pixels)]
    found = sorted((a, w) for a, w in found if abs(a) <= MAX_SKEW_DEGREES)
    if not found:
        return 0.0
    half, seen = sum(w for _, w in found) / 2, 0.0
    for angle, weight in found:
        seen += weight
        if seen >= half:
            return angle
    return found[-1][0]


def deskew(pixels: np.ndarray) -> np.ndarray:
    """`pixels` turned so that the text lines are level (the corners filled with the border's colour)."""
    angle = skew_angle(pixels)
    if abs(angle) < MIN_SKEW_DEGREES:
        return pixels
    height, width = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(height * sin + width * cos), int(height * cos + width * sin)
    matrix[0, 2] += new_w / 2 - width / 2
    matrix[1, 2] += new_h / 2 - height / 2
    return cv2.warpAffine(pixels, matrix, (new_w, new_h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def crop_to_text(pixels: np.ndarray) -> np.ndarray:
    """`pixels` cut to the box around every text line (with a margin); unchanged when none is found."""
    lines = text_lines(pixels)
    if not lines:
        return pixels
    points = np.concatenate([cv2.boxPoints(r) for r in lines])
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    margin = CROP_MARGIN * max(x1 - x0, y1 - y0)
    height, width = pixels.shape[:2]
    left, top = max(0, int(x0 - margin)), max(0, int(y0 - margin))
    right, bottom = min(width, int(x1 + margin) + 1), min(height, int(y1 + margin) + 1)
    if right - left < 32 or bottom - top < 16:
        return pixels
    return pixels[top:bottom, left:right]


STEPS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "grey": grey,
    "deskew": deskew,
    "crop": crop_to_text,
    "threshold": threshold,
}


def apply(pixels: np.ndarray, steps: tuple[str, ...]) -> np.ndarray:
    """`pixels` through the named steps, in order (names of `STEPS`)."""
    for step in steps:
        pixels = STEPS[step](pixels)
    return pixels
