"""Reading the text on a photo of a product label, offline on this machine's CPU (issue 18).

`read_label(image_bytes)` returns the lines of text an OCR engine found on the photo
(`bot.domain.label_text.TextLine`); what serials they may show is the domain's business
(`serial_candidates`, `rank_candidates`). The engine and the preprocessing are the ones
benchmarks/bench_photo_reading.py measured best (benchmarks/README.md, "Label photos").

- `images`: the photo's bytes to an upright pixel array of bounded size;
- `preprocessing`: grey, threshold, deskew, crop to text;
- `rapid`, `tesseract`: the two engine adapters, each loaded once per process;
- `reader`: the configurations (engine + preprocessing + threads) and the chosen one.
"""

from bot.ocr.images import UnreadablePhoto
from bot.ocr.reader import engine_name, read_label

__all__ = ["UnreadablePhoto", "engine_name", "read_label"]
