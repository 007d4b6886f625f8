"""Synthetic phone photos of refrigerator labels, with the truth beside each, for measuring
the serial-number OCR (issue 18): `python -m tests.label_photos.generator OUT_DIR`."""
