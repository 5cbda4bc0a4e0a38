"""Load test of ``guanzhi serve`` on localhost, and the speed of ``guanzhi evaluate --table``.

Starts the real server (``python -m guanzhi_rules serve``) in a subprocess, sends a bounded number of
``POST /evaluate`` requests (each example case under one rule set, in turn, full trace) from a number
of concurrent clients (threads with their own httpx connection), and reports requests/s, latency
percentiles and errors. Then times ``guanzhi evaluate --table`` over a generated table of cases, and
the batch evaluator alone on the same columns, for the ratio of the two.

Run from the repository root, in the development environment (``pip install -e '.[dev]'``)::

    .venv/bin/python benchmarks/service.py                     # 8 clients, 2,000 requests; 100,000 table rows
    .venv/bin/python benchmarks/service.py --record            # and write the section of benchmarks/RESULTS.md

``--record`` replaces only this script's section of RESULTS.md (``## HTTP service and case tables``),
appending it when absent; ``benchmarks/run.py`` writes the file anew, so run this after it.
Not part of the unit tests: timings are only meaningful on a quiet machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import sections

import guanzhi_rules as g
from guanzhi_rules import _tables
from guanzhi_rules._batch import map_chunks, outcome_table
from guanzhi_rules._case import parse_case
from guanzhi_rules._facts import FACTS
from guanzhi_rules._population import generate

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## HTTP service and case tables"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    """The real server in a subprocess, once it answers /healthz."""
    process = subprocess.Popen([sys.executable, "-m", "guanzhi_rules", "serve", "--port", str(port), "--workers", str(workers)],  # noqa: S603
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start")


def bodies() -> list[bytes]:
    """One request body per (example case, rule set)."""
    cases = [json.loads(g.read_case(p).model_dump_json(exclude_none=True)) for p in sorted((ROOT / "examples" / "cases").glob("*.yaml"))]
    return [json.dumps({"case": c, "rulesets": [k]}).encode() for c in cases for k in g.BUNDLED]


def load_test(url: str, clients: int, requests: int) -> dict[str, Any]:
    """``requests`` POST /evaluate spread over ``clients`` concurrent clients; latencies in ms."""
    payloads = bodies()
    for body in payloads[: len(g.BUNDLED)]:  # warm every rule set once
        httpx.post(f"{url}/evaluate", content=body, headers={"content-type": "application/json"}, timeout=60)
    latencies: list[float] = []
    errors: list[str] = []
    sizes: list[int] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def client() -> None:
        with httpx.Client(base_url=url, timeout=60, headers={"content-type": "application/json"}) as http:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                started = time.perf_counter()
                try:
                    response = http.post("/evaluate", content=payloads[i % len(payloads)])
                    ok = response.status_code == 200
                    size = len(response.content)
                except httpx.HTTPError as exc:
                    ok, size = False, 0
                    problem = repr(exc)
                else:
                    problem = f"{response.status_code}"
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    sizes.append(size)
                    if not ok:
                        errors.append(problem)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies), "clients": clients, "seconds": wall, "rps": len(latencies) / wall,
        "p50": statistics.median(ordered), "p90": ordered[int(0.90 * (len(ordered) - 1))],
        "p99": ordered[int(0.99 * (len(ordered) - 1))], "max": ordered[-1], "errors": len(errors),
        "error_kinds": sorted(set(errors)), "bytes": statistics.mean(sizes),
    }


def case_table(n: int, path: Path) -> None:
    """A Parquet table of ``n`` generated cases (every fact a column; sets as lists, dates as dates)."""
    population = generate(n, seed=11)
    rows = [population.data(i) for i in range(n)]
    columns: dict[str, Any] = {"id": pa.array([r["id"] for r in rows], type=pa.string())}
    for fact, spec in FACTS.items():
        section, name = fact.split(".")
        values = [r.get(section, {}).get(name) for r in rows]
        if spec.kind == "set":
            columns[fact] = pa.array([v or [] for v in values], type=pa.list_(pa.string()))
        elif spec.kind == "date":
            columns[fact] = pa.array([None if v is None else dt.date.fromisoformat(v) for v in values], type=pa.date32())
        else:
            columns[fact] = pa.array(values)
    pq.write_table(pa.table(columns), path)


def table_run(rows: int, sample: int) -> dict[str, Any]:
    """Time ``guanzhi evaluate --table`` (all five rule sets, and one) over ``rows`` cases, its parts, and the batch evaluator alone.

    The batch evaluator runs on the very columns the table path built, on the same workers
    (``map_chunks``), keeping only each row's outcome fingerprint: the table path's cost over it is
    reading, validating and writing the table. The row path (``parse_case`` on every row, what the
    table path did before it validated columns) is timed on the first ``sample`` rows.
    """
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "cases.parquet", Path(tmp) / "outcomes.parquet"
        case_table(rows, source)
        figures: dict[str, Any] = {"rows": rows, "sample": sample}
        for label, keys in (("all five", ["-j", "all"]), ("benxi", ["-j", "benxi"])):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "guanzhi_rules", "evaluate", "--table", str(source), *keys, "-o", str(out)],  # noqa: S603
                           cwd=ROOT, check=True)
            figures[label] = time.perf_counter() - started
        started = time.perf_counter()
        table = _tables.read_table(source)
        figures["read"] = time.perf_counter() - started
        started = time.perf_counter()
        cases = _tables.cases_of(table)
        figures["validate"] = time.perf_counter() - started
        started = time.perf_counter()
        for row in _tables._rows(table.slice(0, sample)):
            parse_case(row)
        figures["row path"] = time.perf_counter() - started
        for label, rulesets in (("all five", g.load_all()), ("benxi", {"benxi": g.load("benxi")})):
            started = time.perf_counter()
            _tables.evaluate_table(cases, rulesets)
            figures[f"evaluate {label}"] = time.perf_counter() - started
            started = time.perf_counter()
            list(map_chunks(lambda columns, _, r=rulesets: [outcome_table(x, columns).fingerprint for x in r.values()], cases.cases))
            figures[f"batch {label}"] = time.perf_counter() - started
    return figures


def section(load: dict[str, Any], table: dict[str, Any], workers: int) -> str:
    cpus = len(os.sched_getaffinity(0))
    path = {k: table["read"] + table["validate"] + table[f"evaluate {k}"] for k in ("all five", "benxi")}
    return "\n".join([
        HEADING, "",
        f"Measured {dt.date.today().isoformat()} by `benchmarks/service.py`, one run, on {platform.machine()} with {cpus} usable CPUs, "
        f"Python {platform.python_version()}, guanzhi-rules {g.__version__}.", "",
        f"**Load test.** `guanzhi serve --workers {workers}` (uvicorn) on localhost; {load['clients']} concurrent clients (threads, "
        f"each its own httpx connection, on the same machine) sent {load['requests']:,} `POST /evaluate` requests, each one example "
        f"case under one rule set with the full trace (mean response {load['bytes'] / 1024:.0f} KB), cycling over the 11 example "
        "cases and 5 rule sets.", "",
        "| clients | requests | errors | requests/s | p50 ms | p90 ms | p99 ms | max ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {load['clients']} | {load['requests']:,} | {load['errors']} | {load['rps']:.0f} | {load['p50']:.0f} | {load['p90']:.0f} "
        f"| {load['p99']:.0f} | {load['max']:.0f} |", "",
        f"**Case tables.** `guanzhi evaluate --table` over a Parquet table of {table['rows']:,} generated cases (every fact a "
        "column), outcomes written as Parquet; wall time of the whole command, then its parts measured in one process, beside "
        "the batch evaluator alone on the same columns and workers (outcome fingerprints only).", "",
        "| step | seconds | cases/s |", "|---|---:|---:|",
        *(f"| {label} | {table[key]:.2f} | {table['rows'] / table[key]:,.0f} |" for label, key in (
            ("whole command, all five rule sets", "all five"), ("whole command, benxi", "benxi"), ("read the table (pyarrow)", "read"),
            ("validate every row, column by column", "validate"), ("outcome table, all five rule sets", "evaluate all five"),
            ("outcome table, benxi", "evaluate benxi"), ("batch evaluator alone, all five rule sets", "batch all five"),
            ("batch evaluator alone, benxi", "batch benxi"))),
        f"| row path for comparison: `parse_case` on the first {table['sample']:,} rows | {table['row path']:.2f} "
        f"| {table['sample'] / table['row path']:,.0f} |", "",
        "Table path (read + validate + evaluate into a table) over the batch evaluator alone, same run: "
        f"{path['all five'] / table['batch all five']:.2f}× for all five rule sets, {path['benxi'] / table['batch benxi']:.2f}× for benxi.",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1, help="Server processes.")
    parser.add_argument("--rows", type=int, default=100_000, help="Rows of the case table.")
    parser.add_argument("--sample", type=int, default=10_000, help="Rows the row path (parse_case) is timed on.")
    parser.add_argument("--record", action="store_true", help="Write the section of benchmarks/RESULTS.md.")
    args = parser.parse_args()
    port = free_port()
    server = start_server(port, args.workers)
    try:
        load = load_test(f"http://127.0.0.1:{port}", args.clients, args.requests)
    finally:
        server.terminate()
        server.wait(30)
    print(json.dumps(load, indent=2))
    table = table_run(args.rows, min(args.sample, args.rows))
    print(json.dumps(table, indent=2))
    text = section(load, table, args.workers)
    print(text)
    if args.record:
        sections.record(HEADING, text)


if __name__ == "__main__":
    main()
