"""A photo's bytes (JPEG, PNG, WebP… as Twilio hands them over) to an upright BGR pixel
array whose longest side is at most `MAX_SIDE`: a phone camera's 12 MP photo would cost the
engines seconds for no more text (a label's characters stay tens of pixels high)."""

from __future__ import annotations

import io
import warnings

import cv2
import numpy as np
from PIL import Image, ImageOps

MAX_SIDE = 1600  # pixels
MAX_PIXELS = 50_000_000  # larger than any phone camera; beyond this a "photo" is a decompression bomb


class UnreadablePhoto(ValueError):
    """The bytes are not an image Pillow can decode (or an absurdly large one)."""


def decode(image_bytes: bytes, *, max_side: int = MAX_SIDE) -> np.ndarray:
    """The photo as an H×W×3 BGR uint8 array, turned as its EXIF orientation says (phones
    store portrait shots sideways with an orientation tag), shrunk to `max_side`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(image_bytes))
            if image.width * image.height > MAX_PIXELS:
                raise UnreadablePhoto(f"{image.width}x{image.height} pixels is too large for a photo")
            image = ImageOps.exif_transpose(image).convert("RGB")
    except UnreadablePhoto:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise UnreadablePhoto(str(exc) or type(exc).__name__) from exc
    pixels = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)
    return shrink(pixels, max_side)


def shrink(pixels: np.ndarray, max_side: int) -> np.ndarray:
    """`pixels` scaled down (area interpolation) so that the longest side is `max_side`."""
    height, width = pixels.shape[:2]
    scale = max_side / max(height, width)
    if scale >= 1:
        return pixels
    return cv2.resize(pixels, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
