"""What a background-job benchmark runs against: a redis-server of its own, an SMTP sink that
notes when each message arrives, and the relay and workers as real processes (as deployed).

Nothing here touches the development Redis: the bench's redis-server listens on a free
loopback port, keeps no data on disk, and is stopped at the end.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from aiosmtpd.controller import Controller

from tests.local_servers import free_port

STOP_TIMEOUT = 15.0  # seconds a process may take to stop after SIGTERM before SIGKILL


@dataclass(frozen=True)
class Arrival:
    at: float  # time.monotonic() when the sink accepted the message
    content: bytes  # parsed later: the sink's event loop does as little as possible


class ArrivalHandler:
    def __init__(self) -> None:
        self.arrivals: list[Arrival] = []  # list.append is atomic: no lock needed

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 - aiosmtpd API
        self.arrivals.append(Arrival(time.monotonic(), envelope.content))
        return "250 OK"


class ArrivalSink:
    """An SMTP server on loopback (aiosmtpd, in a thread of the bench process) that accepts
    every message and keeps it with its arrival time."""

    def __init__(self) -> None:
        self.handler = ArrivalHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> ArrivalSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def count(self) -> int:
        return len(self.handler.arrivals)

    def since(self, index: int) -> list[Arrival]:
        return self.handler.arrivals[index:]


@dataclass
class JobProcesses:
    """The relay and worker processes of one benchmark run, stopped together at the end."""

    env: Mapping[str, str]
    logs: Path
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _log_files: list[IO[bytes]] = field(default_factory=list)

    def start(self, name: str, command: list[str], **env: str) -> None:
        """Start `python -m feedbackgis.cli <command>` as `name`, with extra settings."""
        if name in self.running:
            raise ValueError(f"{name} runs already")
        log = (self.logs / f"{name}.log").open("ab")
        self._log_files.append(log)
        self.running[name] = subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, "-m", "feedbackgis.cli", *command],
            env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # a group of its own: its children can be reaped too
        )

    def stop(self, name: str) -> None:
        stop_process(self.running.pop(name))

    def check_alive(self) -> None:
        dead = {name: p.returncode for name, p in self.running.items() if p.poll() is not None}
        if dead:
            raise RuntimeError(f"job process(es) exited early: {dead}; logs in {self.logs}")

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)
        for log in self._log_files:
            log.close()


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (a worker finishes its job first), SIGKILL after STOP_TIMEOUT; then whatever
    is left of the process group it led (an RQ worker's scheduler child)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for pid in group_members(process.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def group_members(pgid: int) -> list[int]:
    """Live processes of the process group `pgid` (empty once its leader's children are gone)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members
