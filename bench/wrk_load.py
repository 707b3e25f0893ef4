"""HTTP load from wrk (Debian's package wrk, a C load generator), when it is installed.

Four clients in Python (requests, one process each) spent about as much CPU as the server
they measured on these 2 cores, so they measured themselves as much as the service. wrk's
four connections on two threads cost a fraction of that, leaving the cores to what is
measured; it still runs on the same cores, as the Open311 issue asks. Each connection
cycles through the calls (a Lua script made for the run); wrk's own histogram gives the
percentiles, printed by the script's done() as one JSON line.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

Call = tuple[str, str, dict[str, str]]  # as bench/open311_load.Call
FORM = "application/x-www-form-urlencoded"
MARKER = "WRK-RESULT "

SCRIPT = """
local calls = {%(calls)s}
local next_call = 0
function init(args)
  next_call = tonumber(args[1]) or 0
end
function request()
  next_call = next_call + 1
  local call = calls[(next_call %% #calls) + 1]
  if call[1] == "POST" then
    return wrk.format("POST", call[2], {["Content-Type"] = "%(form)s"}, call[3])
  end
  return wrk.format("GET", call[2])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('%(marker)s{"requests": %%d, "duration_us": %%d, "p50_us": %%d, ' ..
    '"p95_us": %%d, "status_errors": %%d, "socket_errors": %%d}\\n', summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(95), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    level = "=" * 4  # a long bracket no form value or path holds
    return f"[{level}[{text}]{level}]"


def _lua_calls(calls: Sequence[Call]) -> str:
    items = []
    for method, path, values in calls:
        if method == "POST":
            items.append(f"{{'POST', {_lua_string(path)}, {_lua_string(urlencode(values))}}}")
        else:
            query = f"?{urlencode(values)}" if values else ""
            items.append(f"{{'GET', {_lua_string(path + query)}}}")
    return ",\n".join(items)


def run_wrk(base: str, calls_per_client: Sequence[list[Call]], seconds: float
            ) -> dict[str, float | Counter[str]]:
    """wrk with one connection a client (two threads), cycling through all the clients'
    calls for `seconds`: its requests, statuses, duration and p50/p95 in milliseconds."""
    calls = [call for calls in calls_per_client for call in calls]
    with tempfile.TemporaryDirectory(prefix="feedbackgis-wrk-") as folder:
        script = Path(folder) / "calls.lua"
        script.write_text(SCRIPT % {"calls": _lua_calls(calls), "form": FORM,
                                    "marker": MARKER})
        done = subprocess.run(  # noqa: S603 - fixed arguments
            ["wrk", "-t2", f"-c{len(calls_per_client)}", f"-d{max(1, round(seconds))}s",
             "--timeout", "30s", "-s", str(script), base],
            capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith(MARKER))
    result = json.loads(line[len(MARKER):])
    failed = result["status_errors"]
    return {"statuses": Counter({"2xx": result["requests"] - failed, "4xx/5xx": failed,
                                 "socket errors": result["socket_errors"]}),
            "seconds": result["duration_us"] / 1e6,
            "p50_ms": result["p50_us"] / 1000, "p95_ms": result["p95_us"] / 1000}
