"""Photos are judged by their bytes, refused before decoding when too large, and re-encoded
upright as plain JPEGs with every piece of metadata gone (the GPS read first, once)."""
from __future__ import annotations

import io
import time
import tracemalloc

import pytest
from PIL import Image, ImageCms

from feedbackgis.errors import InvalidInput, TooLarge, UnsupportedMedia
from feedbackgis.media import PhotoLimits, make_thumbnail, prepare_photo
from feedbackgis.media.formats import PhotoFormat, sniff_format
from feedbackgis.media.photos import MAX_LONG_SIDE, THUMBNAIL_LONG_SIDE
from tests.photo_files import (
    HELSINKI,
    HTML_PAGE,
    PDF_FILE,
    camera_exif,
    camera_jpeg,
    heic_bytes,
    html_polyglot_jpeg,
    image_bytes,
    jpeg_bytes,
    pixel_flood_png,
    two_colour_picture,
)

LIMITS = PhotoLimits(max_bytes=10_000_000, max_pixels=40_000_000)
BLUE, RED = (0, 0, 255), (255, 0, 0)


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def _near(colour: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(colour, expected, strict=True))


def _assert_no_metadata(jpeg: bytes) -> None:
    image = _open(jpeg)
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert b"Exif" not in jpeg and b"TestPhone" not in jpeg
    assert b"http://ns.adobe.com/xap" not in jpeg  # XMP
    assert "icc_profile" not in image.info and "comment" not in image.info


@pytest.mark.parametrize(("make", "expected"), [
    (lambda: jpeg_bytes(), PhotoFormat.JPEG),
    (lambda: image_bytes(two_colour_picture(), "PNG"), PhotoFormat.PNG),
    (lambda: image_bytes(two_colour_picture(), "WEBP"), PhotoFormat.WEBP),
    (lambda: heic_bytes(), PhotoFormat.HEIF),
    (lambda: HTML_PAGE, None),
    (lambda: PDF_FILE, None),
    (lambda: image_bytes(two_colour_picture(), "GIF"), None),
    (lambda: image_bytes(two_colour_picture(), "BMP"), None),
], ids=["jpeg", "png", "webp", "heic", "html", "pdf", "gif", "bmp"])
def test_the_format_is_told_by_the_bytes_alone(make, expected):
    assert sniff_format(make()) == expected


def test_an_html_page_is_refused_as_no_photo():
    with pytest.raises(UnsupportedMedia, match="not a JPEG, PNG, WebP or HEIC"):
        prepare_photo(HTML_PAGE, LIMITS)


def test_a_pdf_is_refused():
    with pytest.raises(UnsupportedMedia):
        prepare_photo(PDF_FILE, LIMITS)


def test_a_valid_jpeg_carrying_an_html_page_is_refused_as_a_polyglot():
    polyglot = html_polyglot_jpeg()
    assert _open(polyglot).format == "JPEG"  # a real image, and a page too
    with pytest.raises(UnsupportedMedia, match="markup or a document") as refused:
        prepare_photo(polyglot, LIMITS)
    assert refused.value.field == "file"


def test_a_jpeg_with_a_pdf_appended_is_refused_as_a_polyglot():
    with pytest.raises(UnsupportedMedia):
        prepare_photo(jpeg_bytes() + PDF_FILE, LIMITS)


def test_a_pixel_flood_png_is_refused_from_its_header_without_decoding_it():
    flood = pixel_flood_png(30_000, 30_000)  # 900 megapixels in ~110 kB
    assert len(flood) < 200_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(TooLarge, match="at most 40 megapixels"):
            prepare_photo(flood, LIMITS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 0.5
    assert peak < 5_000_000  # decoding would take 112 MB at 1 bit a pixel, 900 MB as grey


# As in production (media/checks.py), where pytest's own warning filters do not apply.
@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("side", [7_000, 12_000, 20_000],
                         ids=["over-our-limit", "over-pillows-warning", "over-pillows-error"])
def test_every_size_over_the_limit_gets_the_same_refusal(side):
    with pytest.raises(TooLarge, match="at most 40 megapixels"):
        prepare_photo(pixel_flood_png(side, side), LIMITS)


def test_a_photo_at_the_pixel_limit_is_taken_and_one_pixel_more_is_not():
    limits = PhotoLimits(max_bytes=10_000_000, max_pixels=400 * 200)
    assert prepare_photo(jpeg_bytes(two_colour_picture(400, 200)), limits).jpeg.width == 400
    with pytest.raises(TooLarge, match="401 x 200 pixels"):
        prepare_photo(jpeg_bytes(two_colour_picture(401, 200)), limits)


def test_an_upload_over_the_byte_limit_is_refused_before_anything_else():
    with pytest.raises(TooLarge, match="at most 1,000 are taken"):
        prepare_photo(HTML_PAGE * 100, PhotoLimits(max_bytes=1_000, max_pixels=10**6))


def test_an_empty_file_and_a_damaged_jpeg_are_invalid_input():
    with pytest.raises(InvalidInput, match="empty"):
        prepare_photo(b"", LIMITS)
    damaged = jpeg_bytes()[:300]
    with pytest.raises(InvalidInput, match="damaged"):
        prepare_photo(damaged, LIMITS)


@pytest.mark.parametrize(("orientation", "size", "blue_corner"), [
    (1, (400, 200), (50, 50)),  # as stored: blue top-left
    (3, (400, 200), (350, 150)),  # upside down: blue ends bottom-right
    (6, (200, 400), (150, 50)),  # turned 90° clockwise: blue ends top-right
    (8, (200, 400), (50, 350)),  # turned 90° counter-clockwise: blue ends bottom-left
])
def test_exif_orientation_is_applied_to_the_pixels(orientation, size, blue_corner):
    prepared = prepare_photo(camera_jpeg(orientation=orientation), LIMITS)
    image = _open(prepared.jpeg.data)
    assert image.size == size == (prepared.jpeg.width, prepared.jpeg.height)
    assert _near(image.getpixel(blue_corner), BLUE)


def test_gps_is_read_then_gone_from_the_stored_photo_and_its_thumbnail():
    original = camera_jpeg(orientation=6)
    assert b"Exif" in original and _open(original).getexif().get_ifd(0x8825)
    prepared = prepare_photo(original, LIMITS)
    assert prepared.gps is not None
    assert (prepared.gps.lon, prepared.gps.lat) == pytest.approx(HELSINKI, abs=1e-6)
    _assert_no_metadata(prepared.jpeg.data)
    thumbnail = make_thumbnail(prepared.jpeg.data)
    _assert_no_metadata(thumbnail.data)


def test_gps_west_and_south_are_negative():
    prepared = prepare_photo(camera_jpeg(refs=("S", "W")), LIMITS)
    assert (prepared.gps.lon, prepared.gps.lat) == pytest.approx(
        (-HELSINKI[0], -HELSINKI[1]), abs=1e-6)


def test_a_photo_without_gps_or_with_nonsense_gps_offers_no_position():
    assert prepare_photo(camera_jpeg(gps=None), LIMITS).gps is None
    nonsense = ((95.0, 0.0, 0.0), (24.0, 57.0, 9.0))  # a latitude of 95°
    assert prepare_photo(camera_jpeg(gps=nonsense), LIMITS).gps is None


def test_a_heic_photo_is_taken_with_its_gps_and_stored_as_a_clean_jpeg():
    original = heic_bytes(two_colour_picture(640, 480), exif=camera_exif(orientation=1))
    prepared = prepare_photo(original, LIMITS)
    assert (prepared.jpeg.width, prepared.jpeg.height) == (640, 480)
    assert prepared.gps is not None
    assert prepared.gps.lat == pytest.approx(HELSINKI[1], abs=1e-6)
    _assert_no_metadata(prepared.jpeg.data)
    assert _near(_open(prepared.jpeg.data).getpixel((100, 100)), BLUE)


@pytest.mark.parametrize("format_name", ["PNG", "WEBP"])
def test_png_and_webp_are_taken_and_re_encoded_as_jpeg(format_name):
    prepared = prepare_photo(image_bytes(two_colour_picture(), format_name), LIMITS)
    assert _open(prepared.jpeg.data).format == "JPEG"
    assert _near(_open(prepared.jpeg.data).getpixel((300, 150)), RED)


def test_a_transparent_png_becomes_white_where_it_was_transparent():
    picture = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    picture.paste((0, 0, 255, 255), (0, 0, 50, 50))
    image = _open(prepare_photo(image_bytes(picture, "PNG"), LIMITS).jpeg.data)
    assert _near(image.getpixel((75, 75)), (255, 255, 255))
    assert _near(image.getpixel((25, 25)), BLUE)


def test_a_colour_profile_is_applied_and_not_kept():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    prepared = prepare_photo(jpeg_bytes(icc_profile=srgb), LIMITS)
    _assert_no_metadata(prepared.jpeg.data)


def test_a_large_photo_is_reduced_to_the_long_side_cap_and_its_thumbnail_further():
    prepared = prepare_photo(jpeg_bytes(two_colour_picture(6000, 4000)), LIMITS)
    assert (prepared.jpeg.width, prepared.jpeg.height) == (MAX_LONG_SIDE, 1707)
    thumbnail = make_thumbnail(prepared.jpeg.data)
    assert (thumbnail.width, thumbnail.height) == (THUMBNAIL_LONG_SIDE, 267)
    assert _open(thumbnail.data).size == (THUMBNAIL_LONG_SIDE, 267)
