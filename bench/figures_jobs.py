"""The figures' heavy jobs, each run in a process of its own as a worker runs it, for the
figures benchmark: its time and the process's peak memory.

`python -m bench.figures_jobs JOB PARAMS_JSON` (the benchmark starts it with DATABASE_URL
set to the bench database and EXPORT_FOLDER to a folder of its own) imports what a worker
imports (jobs/worker.py warm_up), makes the app, runs the job once and prints one JSON line:
seconds, peak_mb (VmHWM, the kernel's high-water mark of the process's memory), at_rest_mb
(before the job) and what the job said; or {"missing": why} when the code of that job is
not there yet.
"""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


class Missing(Exception):
    """The code this job runs does not exist yet."""


def run_job_process(job: str, params: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    """Run `job` in a fresh process; what it printed last, as a dict ({"failed": the error's
    last line} when the process failed)."""
    result = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "bench.figures_jobs", job, json.dumps(params)],
        cwd=REPO, capture_output=True, text=True, check=False,
        env={**os.environ, **env, "PYTHONPATH": str(REPO)})
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        print(result.stderr[-3000:], file=sys.stderr, flush=True)
        errors = [line for line in result.stderr.splitlines() if line.strip()]
        return {"failed": errors[-1] if errors else f"exit status {result.returncode}"}
    return json.loads(lines[-1])


def find(module: str, name: str) -> Callable[..., Any]:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise Missing(f"{module}.{name}: {error}") from error


def _refresh_all(params: dict[str, Any]) -> dict[str, Any]:
    """The nightly job itself (jobs/maintenance.refresh_all_figures_job)."""
    return find("feedbackgis.jobs.maintenance", "refresh_all_figures_job")()


def _refresh_changed(params: dict[str, Any]) -> dict[str, Any]:
    """The 5-minute job itself (jobs/maintenance.refresh_changed_figures_job)."""
    return find("feedbackgis.jobs.maintenance", "refresh_changed_figures_job")()


def _prepared_file(params: dict[str, Any]) -> dict[str, Any]:
    """The prepared file's job as the worker runs it (jobs/prepared_files.prepare_file)."""
    from feedbackgis.extensions import db
    from feedbackgis.models.prepared_file import PreparedFile

    prepare_file = find("feedbackgis.jobs.prepared_files", "prepare_file")
    prepare_file(params["file_id"])
    db.session.remove()
    prepared = db.session.get(PreparedFile, params["file_id"])
    return {"state": str(prepared.state), "bytes": prepared.byte_size or 0,
            "rows": prepared.rows_done, "error": prepared.error}


def _hot_spots(params: dict[str, Any]) -> dict[str, Any]:
    """The nightly job itself (jobs/maintenance.find_hot_spots)."""
    return find("feedbackgis.jobs.maintenance", "find_hot_spots")()


JOBS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "refresh_all": _refresh_all, "refresh_changed": _refresh_changed,
    "prepared_file": _prepared_file, "hot_spots": _hot_spots,
}


def peak_rss_mb() -> float:
    """This process's VmHWM (getrusage's ru_maxrss would carry the parent's over, see
    bench/photo_memory.py)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(job: str, params: dict[str, Any]) -> dict[str, Any]:
    from feedbackgis import create_app
    from feedbackgis.jobs.worker import warm_up

    warm_up()
    app = create_app()
    with app.app_context():
        at_rest = peak_rss_mb()
        started = time.perf_counter()
        try:
            said = JOBS[job](params)
        except Missing as missing:
            return {"missing": str(missing)}
        took = time.perf_counter() - started
    return {"seconds": took, "peak_mb": peak_rss_mb(), "at_rest_mb": at_rest,
            "finished_at": datetime.now(UTC).isoformat(), "said": said}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], json.loads(sys.argv[2])), default=str), flush=True)
