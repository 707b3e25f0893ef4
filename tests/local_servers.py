"""Servers of a test's (or a benchmark's) own on loopback: free ports, a redis-server that
may be stopped and started again, a PostgreSQL that may be killed. Nothing here touches the
development services."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from redis import Redis


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LoopbackHttpServer:
    """An HTTP server in a thread of the test process, on a free loopback port: the other
    side of the world for the code under test (a webhook receiver, an Open311 system, a
    host of photos)."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], name: str) -> None:
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self.http.serve_forever, name=name,
                                        daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}"

    def start(self) -> LoopbackHttpServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackHttpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class RedisServer:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> Redis:
        return Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=5)

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return self
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None


class PostgresServer:
    """A PostgreSQL cluster of a test's own (initdb once), which may be killed and restarted.

    Runs as the system user postgres (initdb refuses root), with its data under the
    checkout's var/ (which scripts/services.sh made reachable for that user); the caller
    gives a directory there. Durability settings are PostgreSQL's defaults (fsync on,
    synchronous commit), as in production.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.sockets = directory / "run"
        self.port = free_port()
        self.bin = _postgres_bin()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, cwd="/",  # noqa: S603
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def init(self) -> PostgresServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.sockets.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
            shutil.chown(self.sockets, "postgres")
        self._as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                          "--auth=trust", "--encoding=UTF8", "--locale=C")
        return self

    def start(self) -> PostgresServer:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets}"
        self._as_postgres(str(self.bin / "pg_ctl"), "start", "-w", "-t", "60", "-D",
                          str(self.data), "-l", str(self.directory / "postgres.log"),
                          "-o", options)
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._as_postgres(str(self.bin / "pg_ctl"), "stop", "-w", "-m", "immediate",
                              "-D", str(self.data))

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().splitlines()[0])

    def kill_9(self) -> list[int]:
        """SIGKILL the postmaster and every one of its processes, as a crash would; returns
        their pids. Restart with start(): PostgreSQL recovers from its write-ahead log."""
        postmaster = self.postmaster_pid()
        pids = [postmaster, *_children(postmaster)]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        return pids


def _postgres_bin() -> Path:
    majors = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"),
                    key=lambda path: int(path.parts[-3]))
    if not majors:
        raise RuntimeError("no PostgreSQL server under /usr/lib/postgresql (scripts/bootstrap.sh)")
    return majors[-1].parent


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"
