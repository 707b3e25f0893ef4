"""Photo pipeline: the memory a job worker needs for a 12-megapixel photo, and the time the
web server takes to accept a ~3 MB upload.

Memory: each measurement runs in a fresh process that first imports what a worker imports
(jobs/worker.py warm_up), as RQ's forked work horse has, then re-encodes the photo (what
upload_photo does) and makes its thumbnail (the media job); its peak RSS is the kernel's
high-water mark of its memory (VmHWM). Targets: at most 300 MB for a 12-megapixel JPEG and
for a HEIC.

Upload time: gunicorn (one sync worker, as deployed) serves the app on loopback against a
fresh bench database; the photo is POSTed to /api/v1/photos --lookups/100 times (20 by
default) after two warm-up uploads; the time is from sending to the 201. Target: p95 at
most 1.5 s on this machine. The web worker's own peak RSS is shown too.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import ExifTags, Image

from bench.photo_upload import UploadRun, time_uploads
from bench.registry import BenchOptions, Table, benchmark

PEAK_RSS_MB = 300.0
UPLOAD_P95_S = 1.5
SIZE = (4000, 3000)  # 12 megapixels, a phone's usual photo
REPO = Path(__file__).resolve().parents[1]


@benchmark("photo_memory")
def photo_memory(options: BenchOptions) -> Table:
    uploads = max(5, options.lookups // 100)
    with tempfile.TemporaryDirectory(prefix="feedbackgis-bench-photos-") as work:
        folder = Path(work)
        photos = {"JPEG": folder / "photo.jpg", "HEIC": folder / "photo.heic"}
        say("making a 12-megapixel photo as JPEG and HEIC")
        write_test_photos(photos["JPEG"], photos["HEIC"])
        memory = {name: measure_in_worker_process(path) for name, path in photos.items()}
        say(f"timing {uploads} uploads of the JPEG through gunicorn")
        run = time_uploads(photos["JPEG"], uploads, folder)
    return result_table(memory, run)


def write_test_photos(jpeg: Path, heic: Path) -> None:
    """A photo-like picture (smooth gradients, sensor-like noise) with a camera's EXIF."""
    picture = photo_like_picture(SIZE)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # held upright: the pipeline must turn it
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (60.0, 10.0, 12.5), 3: "E", 4: (24.0, 57.0, 9.0)}
    picture.save(jpeg, "JPEG", quality=88, exif=exif)
    pillow_heif.from_pillow(picture).save(heic, quality=80, exif=exif.tobytes())


def photo_like_picture(size: tuple[int, int]) -> Image.Image:
    red = Image.linear_gradient("L").resize(size)
    green = Image.radial_gradient("L").resize(size)
    blue = red.transpose(Image.Transpose.ROTATE_180)
    noise = Image.effect_noise(size, 45).convert("RGB")
    return Image.blend(Image.merge("RGB", (red, green, blue)), noise, 0.15)


def measure_in_worker_process(photo: Path) -> dict[str, float]:
    """Peak RSS of a fresh worker-like process that re-encodes `photo` and thumbnails it."""
    result = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "bench.photo_memory", "--measure", str(photo)],
        cwd=REPO, capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    return json.loads(result.stdout.strip().splitlines()[-1])


def _measure(photo: Path) -> dict[str, float]:
    """In the child: import like a worker, then run the pipeline once, timed."""
    from feedbackgis.jobs.worker import warm_up
    from feedbackgis.media import PhotoLimits, make_thumbnail, prepare_photo

    warm_up()
    data = photo.read_bytes()
    at_rest = _peak_rss_mb()
    started = time.perf_counter()
    prepared = prepare_photo(data, PhotoLimits(max_bytes=10_000_000, max_pixels=40_000_000))
    reencoded = time.perf_counter()
    make_thumbnail(prepared.jpeg.data)
    done = time.perf_counter()
    return {"peak_mb": _peak_rss_mb(), "at_rest_mb": at_rest, "bytes": len(data),
            "reencode_s": reencoded - started, "thumbnail_s": done - reencoded,
            "stored_bytes": len(prepared.jpeg.data)}


def _peak_rss_mb() -> float:
    """This process's peak RSS: VmHWM, not getrusage's ru_maxrss, which Linux carries over
    from the parent across fork and exec (a child of a 470 MB parent starts "at" 470 MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def result_table(memory: dict[str, dict[str, float]], run: UploadRun) -> Table:
    table = Table("photo pipeline: worker memory for 12 MP photos, upload time at the web server")
    for name, measured in memory.items():
        label = f"12 MP {name} ({measured['bytes'] / 1e6:.1f} MB)"
        table.at_most(f"{label}: re-encode + thumbnail, peak RSS", measured["peak_mb"],
                      PEAK_RSS_MB, " MB", digits=0)
        table.add(f"{label}: of which the pipeline (over the process at rest)",
                  f"{measured['peak_mb'] - measured['at_rest_mb']:.0f} MB")
        table.add(f"{label}: re-encode / thumbnail time",
                  f"{measured['reencode_s']:.2f} s / {measured['thumbnail_s']:.2f} s")
        table.add(f"{label}: stored JPEG", f"{measured['stored_bytes'] / 1e6:.2f} MB")
    p50, p95 = np.percentile(run.seconds, (50, 95))
    label = f"upload of {run.photo_bytes / 1e6:.1f} MB JPEG, gunicorn"
    table.add(f"{label}: p50", f"{p50:.2f} s")
    table.at_most(f"{label}: p95", float(p95), UPLOAD_P95_S, " s")
    table.add(f"{label}: max", f"{max(run.seconds):.2f} s")
    table.at_most("web worker peak RSS after the uploads", run.web_peak_rss_mb, PEAK_RSS_MB,
                  " MB", digits=0)
    table.notes += [
        f"memory: a fresh process per photo, after the worker's imports "
        f"({memory['JPEG']['at_rest_mb']:.0f} MB at rest); peak RSS = VmHWM",
        f"uploads: {len(run.seconds)} after 2 warm-up uploads, one at a time, one sync "
        f"gunicorn worker; {os.cpu_count()} CPU(s) shared with PostgreSQL",
    ]
    return table


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__" and sys.argv[1:2] == ["--measure"]:
    print(json.dumps(_measure(Path(sys.argv[2]))))
