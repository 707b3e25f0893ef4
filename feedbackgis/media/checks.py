"""Opening an upload only after it passed every check that needs no decoding.

Order matters: bytes, signature and polyglot markers are checked on the raw upload; then
Pillow reads only the header (Image.open is lazy), so the pixel count is known and checked
before a single pixel is decoded. A pixel flood (a PNG of 30000 x 30000 pixels in a few
kilobytes) is refused here, in microseconds and without memory.
"""
from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pillow_heif
from PIL import Image, UnidentifiedImageError

from feedbackgis.errors import InvalidInput, TooLarge, UnsupportedMedia
from feedbackgis.media.formats import ACCEPTED_NAMES, PhotoFormat, polyglot_marker, sniff_format

FIELD = "file"  # the multipart field the errors name

# Embedded thumbnails, depth maps and auxiliary images are never shown: not reading them
# keeps a HEIC's memory to its one picture.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
# Pillow only warns between MAX_IMAGE_PIXELS and twice that (and refuses above). Our pixel
# limit is checked first and is lower, but a warning must refuse too. Set once for the
# process: warnings.catch_warnings per call is not thread-safe under a threaded server.
warnings.simplefilter("error", Image.DecompressionBombWarning)


@dataclass(frozen=True)
class PhotoLimits:
    max_bytes: int
    max_pixels: int

    @classmethod
    def from_config(cls, config: Any) -> PhotoLimits:
        return cls(max_bytes=int(config["PHOTO_MAX_BYTES"]),
                   max_pixels=int(config["PHOTO_MAX_PIXELS"]))


def check_upload_bytes(data: bytes, limits: PhotoLimits) -> PhotoFormat:
    """The upload's format, from its bytes; raises the error a client can act on."""
    if not data:
        raise InvalidInput("The file is empty.", field=FIELD)
    if len(data) > limits.max_bytes:
        raise TooLarge(f"The photo is {len(data):,} bytes; at most {limits.max_bytes:,} "
                       "are taken.", field=FIELD)
    photo_format = sniff_format(data)
    if photo_format is None:
        raise UnsupportedMedia(
            f"The file is not a {ACCEPTED_NAMES} photo (judged by its content, whatever its "
            "name or Content-Type say).", field=FIELD)
    marker = polyglot_marker(data)
    if marker is not None:
        raise UnsupportedMedia(
            f"The file is a picture that also holds {marker!r} (markup or a document): "
            "send the photo as the camera made it.", field=FIELD)
    return photo_format


@contextmanager
def open_checked(data: bytes, limits: PhotoLimits) -> Iterator[Image.Image]:
    """The upload opened (header read, nothing decoded yet) once it passed every check."""
    photo_format = check_upload_bytes(data, limits)
    image = _open_header(data, photo_format, limits)
    try:
        _check_pixels(image, limits)
        yield image
    finally:
        image.close()


def _open_header(data: bytes, photo_format: PhotoFormat, limits: PhotoLimits) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=[photo_format.value])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooLarge(_too_many_pixels(limits), field=FIELD) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise InvalidInput(f"The file starts like a {photo_format.value} image but cannot be "
                           "read; it may be damaged.", field=FIELD) from None
    if image.format != photo_format.value:  # a plugin of another format claimed it
        image.close()
        raise UnsupportedMedia(f"The file is not a {ACCEPTED_NAMES} photo.", field=FIELD)
    return image


def _check_pixels(image: Image.Image, limits: PhotoLimits) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise InvalidInput("The picture has no pixels.", field=FIELD)
    if width * height > limits.max_pixels:
        raise TooLarge(_too_many_pixels(limits, f"{width} x {height} pixels"), field=FIELD)


def _too_many_pixels(limits: PhotoLimits, pixels: str = "too many pixels") -> str:
    return f"The photo has {pixels}; at most {limits.max_pixels / 1e6:g} megapixels are taken."
