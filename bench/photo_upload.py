"""Uploads of one photo to the app served by gunicorn on loopback, timed one by one."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.database import bench_database_url, fresh_bench_database
from bench.job_services import group_members, stop_process
from tests.local_servers import free_port

REPO = Path(__file__).resolve().parents[1]
WARM_UP = 2
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class UploadRun:
    seconds: list[float]
    photo_bytes: int
    web_peak_rss_mb: float


def time_uploads(photo: Path, count: int, work: Path) -> UploadRun:
    fresh_bench_database().dispose()
    port = free_port()
    log = (work / "gunicorn.log").open("ab")
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "wsgi:app"],
        cwd=REPO, env=_server_env(work), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, server)
        data = photo.read_bytes()
        seconds = [_upload_once(base, data) for _ in range(WARM_UP + count)][WARM_UP:]
        return UploadRun(seconds=seconds, photo_bytes=len(data),
                         web_peak_rss_mb=_worker_peak_rss_mb(server.pid))
    finally:
        stop_process(server)
        log.close()


def _server_env(work: Path) -> dict[str, str]:
    return {
        **os.environ, "PYTHONPATH": str(REPO), "FEEDBACKGIS_ENV": "development",
        "DATABASE_URL": bench_database_url().render_as_string(hide_password=False),
        "SECRET_KEY": "bench-secret-key", "MEDIA_ROOT": str(work / "media"),
        "RATELIMIT_ENABLED": "false",
    }


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            if requests.get(f"{base}/healthz", timeout=1).ok:
                return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start in time")


def _upload_once(base: str, data: bytes) -> float:
    started = time.perf_counter()
    response = requests.post(f"{base}/api/v1/photos", timeout=60,
                             files={"file": ("IMG_0001.jpg", data, "image/jpeg")})
    elapsed = time.perf_counter() - started
    if response.status_code != 201:
        raise RuntimeError(f"upload answered {response.status_code}: {response.text[:300]}")
    return elapsed


def _worker_peak_rss_mb(master_pid: int) -> float:
    """VmHWM (peak RSS) of gunicorn's worker process, the one that served the uploads."""
    peaks = []
    for pid in group_members(master_pid):
        if pid == master_pid:
            continue
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=float("nan"))
