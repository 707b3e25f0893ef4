"""Photos the tests make: camera-like JPEGs with EXIF, HEIC, pixel floods and polyglots."""
from __future__ import annotations

import io
import struct
import zlib

import pillow_heif
from PIL import ExifTags, Image

# Helsinki Cathedral: 60° 10' 12.5" N, 24° 57' 9.0" E.
HELSINKI_DMS = ((60.0, 10.0, 12.5), (24.0, 57.0, 9.0))
HELSINKI = (24.9525, 60.1701389)  # lon, lat


def two_colour_picture(width: int = 400, height: int = 200) -> Image.Image:
    """Blue top-left quarter on red: shows where a rotation moved the top-left corner."""
    picture = Image.new("RGB", (width, height), (255, 0, 0))
    picture.paste((0, 0, 255), (0, 0, width // 2, height // 2))
    return picture


def camera_exif(orientation: int = 1, gps: tuple | None = HELSINKI_DMS,
                refs: tuple[str, str] = ("N", "E")) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    exif[ExifTags.Base.Orientation] = orientation
    if gps is not None:
        lat, lon = gps
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: refs[0], ExifTags.GPS.GPSLatitude: lat,
            ExifTags.GPS.GPSLongitudeRef: refs[1], ExifTags.GPS.GPSLongitude: lon,
        }
    return exif


def jpeg_bytes(picture: Image.Image | None = None, exif: Image.Exif | None = None,
               **save: object) -> bytes:
    picture = picture or two_colour_picture()
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90, exif=exif if exif is not None else b"", **save)
    return buffer.getvalue()


def camera_jpeg(orientation: int = 1, gps: tuple | None = HELSINKI_DMS, **kwargs: object) -> bytes:
    """A JPEG as a phone writes it: EXIF with a maker, the orientation and a GPS position."""
    return jpeg_bytes(exif=camera_exif(orientation, gps, **kwargs))


def image_bytes(picture: Image.Image, format: str, **save: object) -> bytes:  # noqa: A002
    buffer = io.BytesIO()
    picture.save(buffer, format, **save)
    return buffer.getvalue()


def heic_bytes(picture: Image.Image | None = None, exif: Image.Exif | None = None) -> bytes:
    """A HEIC made with pillow-heif (x265), as an iPhone would send. (Not through Pillow's
    plugin: registering it again here would reset the options media/checks.py chose.)"""
    picture = picture or two_colour_picture()
    buffer = io.BytesIO()
    pillow_heif.from_pillow(picture).save(buffer, quality=80,
                                          exif=exif.tobytes() if exif is not None else None)
    return buffer.getvalue()


def noisy_jpeg(width: int, height: int, seed: int = 1) -> bytes:
    """A photo that compresses badly (random noise), so its file is large for its pixels."""
    noise = Image.frombytes("RGB", (width, height), _random_bytes(width * height * 3, seed))
    return jpeg_bytes(noise)


def _random_bytes(count: int, seed: int) -> bytes:
    import random

    return random.Random(seed).randbytes(count)


def pixel_flood_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A 1-bit PNG of width x height white pixels in a few kilobytes: decoding it would take
    width * height bytes (900 MB for the default) and more once converted."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height))
    data += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data)
            + _png_chunk(b"IEND", b""))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def html_polyglot_jpeg() -> bytes:
    """A valid JPEG whose comment segment is an HTML page with a script."""
    page = b"<html><body><script>alert(document.cookie)</script></body></html>"
    return jpeg_bytes(comment=page)


HTML_PAGE = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"
PDF_FILE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
