"""`make run` stops what it started, and nothing else, however it is told to stop: SIGTERM to
make's process group (a process manager, a CI timeout), SIGTERM to make alone (`kill`), SIGINT
to the group (Ctrl-C in a terminal).

Each test runs a real `make run` in a session of its own, on free ports and with a var
directory of its own (FEEDBACKGIS_VAR), so it never touches the var/ whose PostgreSQL and
Redis the rest of the suite is using. PostgreSQL runs as the system user postgres, which
cannot enter pytest's tmp_path, so that directory lives under var/ of the checkout; the three
tests share it, so initdb runs once.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from redis import Redis
from rq import Worker
from rq.cron import CronScheduler

from tests.process_tree import Proc, descendants, is_alive, kill_alive, read_proc

ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = ROOT / "var" / "test-make-run"
# The first start runs initdb and every migration; later ones take a few seconds.
START_TIMEOUT = 90
# run.sh gives its children 20 s to finish before it kills them; the services stop after.
STOP_TIMEOUT = 60


def _clean_env(**overrides: str) -> dict[str, str]:
    """Only what a shell needs: nothing of this test run's DATABASE_URL, REDIS_URL, TEST_*,
    SECRET_KEY or SMTP_* may reach `make run`, which would take them for external services."""
    env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": os.environ.get("HOME", "/root"),
           "LANG": os.environ.get("LANG", "C.UTF-8"), "FEEDBACKGIS_VAR": str(VAR_DIR)}
    env.update(overrides)
    return env


def _stop_services_of_var_dir() -> None:
    """`scripts/services.sh stop` without an owner token stops whatever it started there."""
    if VAR_DIR.exists():
        subprocess.run([str(ROOT / "scripts" / "services.sh"), "stop"], env=_clean_env(),
                       cwd=ROOT, timeout=120, check=False, capture_output=True)


@pytest.fixture(scope="module")
def var_dir() -> Iterator[Path]:
    _stop_services_of_var_dir()  # left by an earlier run that was itself killed
    shutil.rmtree(VAR_DIR, ignore_errors=True)
    VAR_DIR.mkdir(parents=True)
    yield VAR_DIR
    _stop_services_of_var_dir()
    shutil.rmtree(VAR_DIR, ignore_errors=True)


def _free_ports(count: int) -> list[int]:
    """Distinct free ports: every probe socket stays bound until all are chosen."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _pid_from_file(path: Path) -> Proc | None:
    """The process whose pid is on the first line of a pid file, if it runs."""
    try:
        pid = int(path.read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    proc = read_proc(pid)
    return proc if proc is not None and is_alive(proc) else None


def _service_daemons(var: Path) -> list[Proc]:
    """The daemonised PostgreSQL postmaster and Redis of a var directory: they leave make's
    process tree, so they are found through their pid files."""
    found = [_pid_from_file(var / "postgres" / "data" / "postmaster.pid"),
             _pid_from_file(var / "redis" / "redis.pid")]
    return [proc for proc in found if proc is not None]


def _services_of(var: Path) -> list[Proc]:
    """The daemons with every process of PostgreSQL's (its backends come and go with their
    connections, so only a make run's own are expected to have gone)."""
    daemons = _service_daemons(var)
    return [*daemons, *descendants(*(proc.pid for proc in daemons))]


@dataclass
class MakeRun:
    process: subprocess.Popen[bytes]
    ports: dict[str, int]
    log: Path
    started: list[Proc] = field(default_factory=list)

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def wait_for_log(self, text: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while text not in self.log.read_text(errors="replace"):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def run_sh(self) -> Proc:
        """make's child: scripts/run.sh."""
        children = [proc for proc in self.started if proc.ppid == self.process.pid]
        assert len(children) == 1 and "scripts/run.sh" in children[0].command, children
        return children[0]

    def record_what_it_started(self) -> None:
        """Every process below make, plus the services it left running under its var dir."""
        seen = {(proc.pid, proc.start_time) for proc in self.started}
        for proc in [*descendants(self.process.pid), *_services_of(VAR_DIR)]:
            if (proc.pid, proc.start_time) not in seen:
                seen.add((proc.pid, proc.start_time))
                self.started.append(proc)

    def leave_nothing_behind(self) -> None:
        """After a failure: kill what is left, so the suite does not leak processes."""
        self.record_what_it_started()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # make and run.sh
        services = {(proc.pid, proc.start_time) for proc in _services_of(VAR_DIR)}
        kill_alive([p for p in self.started if (p.pid, p.start_time) not in services])
        _stop_services_of_var_dir()  # a clean stop, so the shared cluster stays usable
        kill_alive(self.started)
        self.process.wait(timeout=30)


def _up_checks(run: MakeRun) -> dict[str, Callable[[], bool]]:
    def healthz() -> bool:
        url = f"http://127.0.0.1:{run.ports['PORT']}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return response.status == 200
        except OSError:
            return False

    def redis() -> Redis:
        return Redis(port=run.ports["FEEDBACKGIS_REDIS_PORT"], socket_timeout=1)

    def worker() -> bool:
        try:
            return Worker.count(connection=redis()) > 0
        except Exception:  # noqa: BLE001 - Redis not up yet
            return False

    def scheduler() -> bool:
        try:
            return bool(CronScheduler.all(redis(), cleanup=False))
        except Exception:  # noqa: BLE001 - Redis not up yet
            return False

    def relay() -> bool:
        return "Outbox relay running" in run.log.read_text(errors="replace")

    return {"web server (/healthz)": healthz, "RQ worker": worker, "scheduler": scheduler,
            "outbox relay": relay}


def _wait_until_up(run: MakeRun) -> None:
    pending = _up_checks(run)
    deadline = time.monotonic() + START_TIMEOUT
    while pending:
        if run.process.poll() is not None:
            pytest.fail(f"make run exited ({run.process.returncode}) before it was up:\n"
                        f"{run.log_tail()}")
        if time.monotonic() > deadline:
            pytest.fail(f"not up after {START_TIMEOUT}s: {', '.join(pending)}\n{run.log_tail()}")
        for name, check in list(pending.items()):
            if check():
                del pending[name]
        time.sleep(0.3)


@pytest.fixture
def make_run(var_dir: Path, tmp_path: Path) -> Iterator[MakeRun]:
    """A `make run` that is up, with the processes it started recorded."""
    ports = dict(zip(("PORT", "FEEDBACKGIS_PG_PORT", "FEEDBACKGIS_REDIS_PORT",
                      "FEEDBACKGIS_MAIL_PORT"), map(str, _free_ports(4)), strict=True))
    # Unbuffered: the relay's "running" line reaches the log at once.
    env = _clean_env(**ports, PYTHONUNBUFFERED="1")
    log = tmp_path / "make-run.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            ["make", "run"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
    run = MakeRun(process, {name: int(port) for name, port in ports.items()}, log)
    try:
        _wait_until_up(run)
        run.record_what_it_started()
        commands = " | ".join(proc.command for proc in run.started)
        for part in ("gunicorn", "jobs worker", "jobs relay", "jobs scheduler", "aiosmtpd",
                     "postgres", "redis-server"):
            assert part in commands, f"no {part} among the processes of make run: {commands}"
        yield run
    finally:
        if any(is_alive(proc) for proc in run.started) or process.poll() is None:
            run.leave_nothing_behind()


@pytest.fixture
def bystanders() -> Iterator[list[Proc]]:
    """Processes make run did not start and must leave alone: one of our own, and the
    PostgreSQL and Redis of var/ when they run (those of the `make test` running this)."""
    sleeper = subprocess.Popen(["sleep", "300"], start_new_session=True)  # noqa: S607
    own = read_proc(sleeper.pid)
    assert own is not None
    yield [own, *_service_daemons(ROOT / "var")]
    sleeper.kill()
    sleeper.wait()


def _assert_stopped_everything(run: MakeRun, bystanders: list[Proc]) -> None:
    deadline = time.monotonic() + STOP_TIMEOUT
    try:
        run.process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"make still runs {STOP_TIMEOUT}s after the signal:\n{run.log_tail()}")
    while left := [proc for proc in run.started if is_alive(proc)]:
        if time.monotonic() > deadline:
            listed = "\n".join(f"  {proc.pid} {proc.command}" for proc in left)
            pytest.fail(f"still running after make exited:\n{listed}\n{run.log_tail()}")
        time.sleep(0.2)
    busy = [f"{name}={port}" for name, port in run.ports.items() if _answers(port)]
    assert not busy, f"ports still answer: {busy}\n{run.log_tail()}"
    stopped = [proc.command for proc in bystanders if not is_alive(proc)]
    assert not stopped, f"make run stopped what it had not started: {stopped}"


def test_term_to_makes_process_group_stops_what_make_run_started_and_nothing_else(
        make_run: MakeRun, bystanders: list[Proc]) -> None:
    # What a process manager or a CI timeout does. run.sh gets the group's TERM, and then
    # make's own: make passes TERM on to its child. How late that second one comes is up to
    # the scheduler; it is sent here once more when run.sh has begun to clean up, the moment
    # at which it used to cut the clean-up short (PostgreSQL and Redis left running).
    run_sh = make_run.run_sh()
    os.killpg(make_run.process.pid, signal.SIGTERM)
    make_run.wait_for_log("stopping the web server", timeout=10)
    kill_alive([run_sh], signal.SIGTERM)
    _assert_stopped_everything(make_run, bystanders)


def test_term_to_make_alone_stops_what_make_run_started_and_nothing_else(
        make_run: MakeRun, bystanders: list[Proc]) -> None:
    # What `kill <pid of make>` does: only make's own TERM reaches run.sh.
    os.kill(make_run.process.pid, signal.SIGTERM)
    _assert_stopped_everything(make_run, bystanders)


def test_interrupt_to_makes_process_group_stops_what_make_run_started_and_nothing_else(
        make_run: MakeRun, bystanders: list[Proc]) -> None:
    # What Ctrl-C in a terminal does: SIGINT to the foreground process group; make passes
    # nothing on.
    os.killpg(make_run.process.pid, signal.SIGINT)
    _assert_stopped_everything(make_run, bystanders)
