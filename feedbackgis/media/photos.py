"""Re-encoding: what is stored and shown is a new JPEG made from the pixels alone.

The picture is turned upright by its EXIF orientation, reduced to at most MAX_LONG_SIDE
pixels, converted to sRGB and written as a baseline JPEG with no EXIF (GPS included), XMP,
ICC profile or comment. The GPS position is read before that, once, for the uploader.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from feedbackgis.errors import InvalidInput
from feedbackgis.media.checks import FIELD, PhotoLimits, open_checked
from feedbackgis.media.exif import GpsPosition, gps_position

MAX_LONG_SIDE = 2560  # sharper than any phone screen shows a report photo; ~0.5-1.5 MB
THUMBNAIL_LONG_SIDE = 400
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80
CONTENT_TYPE = "image/jpeg"
WHITE = (255, 255, 255)
SRGB = ImageCms.createProfile("sRGB")

__all__ = ["CONTENT_TYPE", "EncodedJpeg", "PhotoLimits", "PreparedPhoto", "make_thumbnail",
           "prepare_photo"]


@dataclass(frozen=True)
class EncodedJpeg:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class PreparedPhoto:
    """The re-encoded photo and what the uploader is told once (never stored: the GPS)."""

    jpeg: EncodedJpeg
    gps: GpsPosition | None


def prepare_photo(data: bytes, limits: PhotoLimits) -> PreparedPhoto:
    """Check an upload and re-encode it; raises InvalidInput, TooLarge or UnsupportedMedia."""
    with open_checked(data, limits) as image:
        gps = gps_position(image)
        try:
            jpeg = _encode(_upright_srgb(image, MAX_LONG_SIDE), JPEG_QUALITY)
        except MemoryError:  # the server's trouble, not the file's
            raise
        except Exception:  # noqa: BLE001 - a crafted file fails a decoder in many ways
            raise InvalidInput(f"The {image.format} picture cannot be decoded; it may be "
                               "damaged.", field=FIELD) from None
    return PreparedPhoto(jpeg=jpeg, gps=gps)


def make_thumbnail(jpeg: bytes) -> EncodedJpeg:
    """A small copy of a photo that prepare_photo made (so already upright and clean)."""
    with Image.open(io.BytesIO(jpeg), formats=["JPEG"]) as image:
        picture = _reduced(image, THUMBNAIL_LONG_SIDE)
        return _encode(_rgb(picture), THUMBNAIL_QUALITY)


def _upright_srgb(image: Image.Image, long_side: int) -> Image.Image:
    icc_profile = image.info.get("icc_profile")
    picture = _reduced(image, long_side)
    # After reducing: turning and colour conversion then touch a few megapixels at most.
    ImageOps.exif_transpose(picture, in_place=True)
    return _to_srgb(_rgb(picture), icc_profile)


def _reduced(image: Image.Image, long_side: int) -> Image.Image:
    """Decoded at no more than about `long_side` pixels on its long side.

    A JPEG is decoded at 1/2, 1/4 or 1/8 scale straight away when that is still large
    enough (draft), so a 12-megapixel photo never needs its full size in memory twice.
    """
    width, height = image.size
    scale = long_side / max(width, height)
    if scale < 1 and image.format == "JPEG":
        image.draft(image.mode if image.mode in ("RGB", "L") else None,
                    (max(1, round(width * scale)), max(1, round(height * scale))))
    image.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    return image


def _rgb(image: Image.Image) -> Image.Image:
    """RGB without transparency: transparent parts become white, not black."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, WHITE)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode.startswith("I"):  # 16- or 32-bit grey: scale to 8 bits, not clip
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Colours as the camera meant them (e.g. an iPhone's Display P3) in plain sRGB, so that
    the stored JPEG needs no profile. A profile that cannot be used is ignored."""
    if not icc_profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        converted = ImageCms.profileToProfile(image, source, SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _encode(image: Image.Image, quality: int) -> EncodedJpeg:
    # A clean info: Pillow's JPEG writer would copy an original comment from it.
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return EncodedJpeg(data=buffer.getvalue(), width=image.width, height=image.height)
