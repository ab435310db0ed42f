"""Start-up time of the everyday commands: median wall seconds of N runs each.

Usage: python scripts/startup-times.py [--runs N] [GRAPH]

GRAPH (default output/graph.ttl, built by `make build`) is queried with a
one-row SELECT once before timing, so `kg query` reads its cached store and
what is measured is start-up, not loading. The interpreter's own start-up
(`python -c pass`) is measured in the same run, as the peer that says how
busy the machine was.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUERY = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"


def median_seconds(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", default="output/graph.ttl")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    kg = shutil.which("kg", path=str(Path(sys.executable).parent)) or "kg"
    if not Path(args.graph).is_file():
        sys.exit(f"startup-times: {args.graph}: no graph (run `make build` first)")
    subprocess.run([kg, "query", args.graph, QUERY], check=True, stdout=subprocess.DEVNULL)
    rows = [("python -c pass", [sys.executable, "-c", "pass"]),
            ("python -c 'import kg'", [sys.executable, "-c", "import kg"]),
            ("kg --help", [kg, "--help"]),
            ("kg query GRAPH 'SELECT … LIMIT 1'", [kg, "query", args.graph, QUERY])]
    for name, cmd in rows:
        print(f"{name:36s} {median_seconds(cmd, args.runs):.2f} s")


if __name__ == "__main__":
    main()
