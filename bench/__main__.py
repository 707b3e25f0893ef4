"""`python -m bench [--only NAME] ...`: run the registered benchmarks, print a table each.

Exit status 1 when a benchmark missed a target, so CI can run it as a check.
"""
from __future__ import annotations

import argparse
import importlib
import sys
import time

from bench.registry import BenchOptions, registered

# Each module registers its benchmarks when imported; a new benchmark adds its module here.
BENCHMARK_MODULES = ("bench.zone_routing", "bench.notification_latency", "bench.outbox_redrive",
                     "bench.photo_memory", "bench.public_map", "bench.staff_inbox",
                     "bench.zone_what_if", "bench.work_orders", "bench.figures",
                     "bench.open311")


def _sizes(value: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not comma-separated integers: {value!r}") from None
    if any(size < 1_000 for size in sizes):
        raise argparse.ArgumentTypeError("each size must be at least 1000")
    return sizes


def parse_args(names: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--zones", type=int, default=10_000,
                        help="zones to generate and import (default 10000)")
    parser.add_argument("--lookups", type=int, default=2_000,
                        help="measured samples per benchmark (default 2000)")
    parser.add_argument("--seed", type=int, default=20_261_128,
                        help="random seed: the same seed generates the same data")
    parser.add_argument("--map-reports", type=_sizes, default=(100_000,), metavar="N[,N]",
                        help="published reports in the public map's city, one run per size "
                             "(default 100000; 100000,1000000 for both)")
    parser.add_argument("--figure-reports", type=int, default=1_000_000, metavar="N",
                        help="reports of the managers' figures benchmark (default 1000000; "
                             "100000 to develop)")
    parser.add_argument("--open311-reports", type=_sizes, default=(100_000, 1_000_000),
                        metavar="N[,N]", help="reports in the Open311 benchmark's city, one "
                                              "run per size (default 100000,1000000)")
    parser.add_argument("--open311-seconds", type=float, default=20.0, metavar="S",
                        help="seconds each Open311 call (and its SQL) is measured (default 20)")
    parser.add_argument("--only", choices=names, metavar="NAME",
                        help=f"run one benchmark: {', '.join(names)}")
    args = parser.parse_args()
    if args.zones < 20 or args.lookups < 1:
        parser.error("--zones must be at least 20 and --lookups at least 1")
    if args.open311_seconds <= 0:
        parser.error("--open311-seconds must be positive")
    if args.figure_reports < 10_000:
        parser.error("--figure-reports must be at least 10000")
    return args


def main() -> int:
    for module in BENCHMARK_MODULES:
        importlib.import_module(module)
    benchmarks = registered()
    args = parse_args(sorted(benchmarks))
    options = BenchOptions(zones=args.zones, lookups=args.lookups, seed=args.seed,
                           map_reports=args.map_reports, figure_reports=args.figure_reports,
                           open311_reports=args.open311_reports,
                           open311_seconds=args.open311_seconds)
    missed = 0
    for name, run in benchmarks.items():
        if args.only and name != args.only:
            continue
        started = time.perf_counter()
        table = run(options)
        table.notes.append(f"benchmark {name!r} ran in {time.perf_counter() - started:.0f} s")
        print(table.render(), flush=True)
        print(flush=True)
        missed += len(table.missed)
    if missed:
        print(f"{missed} target(s) missed", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
