"""What an upload is, decided by its bytes alone.

A file name and a Content-Type are the client's say-so; the first bytes of an image format
are not. An upload must start with the signature of one of the formats we take, and must
not carry markup or a document as well: a polyglot (an HTML page, a script or a PDF that is
also a valid image) is refused even though it would be re-encoded, because no camera makes
one and whoever sends one is probing.
"""
from __future__ import annotations

import enum
import re


class PhotoFormat(enum.StrEnum):
    """The formats taken, by Pillow's name for each (Image.format after opening)."""

    JPEG = "JPEG"
    PNG = "PNG"
    WEBP = "WEBP"
    HEIF = "HEIF"  # HEIC (iPhones) and other HEVC-coded HEIF, through pillow-heif


ACCEPTED_NAMES = "JPEG, PNG, WebP or HEIC/HEIF"

# ISO base media file brands of HEVC-coded HEIF. "mif1"/"msf1" alone are generic HEIF
# (Pillow then decides); AVIF is HEIF with another codec and is not taken.
HEVC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
GENERIC_HEIF_BRANDS = {b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}

# Markup and document signatures a polyglot hides in an image (in a comment, in metadata or
# after its end). Each is long enough (a tag name and its delimiter) that the compressed
# data of a real photo contains one by chance about once in 10**5 files of 10 MB.
POLYGLOT_MARKERS = re.compile(
    rb"<(?:html|script|iframe|object|embed)[\s>/]|<!doctype\s+html|<\?php\s|(?-i:%PDF-)",
    re.IGNORECASE,
)


def sniff_format(data: bytes) -> PhotoFormat | None:
    """The format whose signature `data` starts with, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return PhotoFormat.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PhotoFormat.PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return PhotoFormat.WEBP
    if data[4:8] == b"ftyp" and _is_hevc_heif(data):
        return PhotoFormat.HEIF
    return None


def _is_hevc_heif(data: bytes) -> bool:
    box_size = int.from_bytes(data[:4], "big")
    if not 16 <= box_size <= min(len(data), 4096):
        return False
    major = data[8:12]
    brands = {major} | {data[i:i + 4] for i in range(16, box_size - 3, 4)}
    if brands & HEVC_BRANDS:
        return True
    return major in GENERIC_HEIF_BRANDS and not brands & AVIF_BRANDS


def polyglot_marker(data: bytes) -> str | None:
    """The markup or document signature found in `data`, if any."""
    found = POLYGLOT_MARKERS.search(data)
    return found.group().decode("latin-1").strip() if found else None
