"""Storage keys of photos: random, so that neither an id nor a file name leads to a file."""
from __future__ import annotations

import secrets

IMAGES = "photos"
THUMBNAILS = "thumbnails"


def new_image_key() -> str:
    name = secrets.token_hex(16)
    # Two hex digits of fan-out: a year of a large city's photos is ~250 files a folder.
    return f"{IMAGES}/{name[:2]}/{name}.jpg"


def thumbnail_key_for(image_key: str) -> str:
    """The thumbnail's key follows from the photo's: a retried job writes the same file."""
    folder, rest = image_key.split("/", 1)
    if folder != IMAGES:
        raise ValueError(f"Not a photo's key: {image_key!r}")
    return f"{THUMBNAILS}/{rest}"
