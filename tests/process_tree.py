"""Processes as /proc shows them (Linux): who descends from whom, and whether a process that
was seen once is still the same living process. For tests that start real process trees."""
from __future__ import annotations

import contextlib
import os
import signal
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Proc:
    """A process seen once. Its start time tells it apart from a later process that got the
    same pid."""

    pid: int
    ppid: int
    state: str
    start_time: int
    command: str


def read_proc(pid: int) -> Proc | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            errors="replace").strip()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The name in parentheses may itself hold spaces and parentheses: split after the last ")".
    fields = stat[stat.rindex(")") + 2:].split()
    # fields[0] is field 3 of proc(5): state; 4 ppid; 22 starttime.
    return Proc(pid=pid, ppid=int(fields[1]), state=fields[0], start_time=int(fields[19]),
                command=command or stat[stat.index("(") + 1:stat.rindex(")")])


def all_procs() -> list[Proc]:
    procs = (read_proc(int(entry)) for entry in os.listdir("/proc") if entry.isdigit())
    return [proc for proc in procs if proc is not None]


def descendants(*roots: int) -> list[Proc]:
    """Every living process below the given pids (the roots themselves not included)."""
    children: dict[int, list[Proc]] = {}
    for proc in all_procs():
        children.setdefault(proc.ppid, []).append(proc)
    found: list[Proc] = []
    todo = list(roots)
    while todo:
        for child in children.get(todo.pop(), []):
            if is_alive(child):
                found.append(child)
                todo.append(child.pid)
    return found


def is_alive(proc: Proc) -> bool:
    """True while that very process runs; a zombie (exited, not yet reaped) counts as gone."""
    now = read_proc(proc.pid)
    return now is not None and now.start_time == proc.start_time and now.state not in "ZX"


def kill_alive(procs: list[Proc], signum: int = signal.SIGKILL) -> None:
    for proc in procs:
        if is_alive(proc):
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signum)
