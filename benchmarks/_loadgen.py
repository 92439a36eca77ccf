"""HTTP load generator, run in its own process: N keep-alive connections, closed loop.

``python -m benchmarks._loadgen URL --connections 50 --duration 10`` prints one
JSON line: requests, errors, requests per second and latency percentiles (ms).
Bounded twice: by ``--duration`` and by ``--max-requests``. Loopback only.

With ``--client wrk`` it runs ``wrk`` instead (when installed) and parses its
``--latency`` report into the same JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import re
import resource
import shutil
import subprocess
import sys
import time
from typing import Any

import aiohttp

LOOPBACK_PREFIX = "http://127.0.0.1:"


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Return the nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


async def run_aiohttp(args: argparse.Namespace) -> dict[str, Any]:
    """Closed-loop load with aiohttp: each connection sends its next request at once."""
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    body_bytes = 0
    connector = aiohttp.TCPConnector(limit=args.connections, force_close=False)
    timeout = aiohttp.ClientTimeout(total=10)
    # No Accept-Encoding (wrk sends none either): uncompressed answers.
    async with aiohttp.ClientSession(
        connector=connector,
        timeout=timeout,
        headers=headers,
        skip_auto_headers=("Accept-Encoding",),
    ) as session:
        # Warm-up: open every connection and let the server settle.
        warm_until = time.perf_counter() + args.warmup
        stop_at = warm_until + args.duration
        budget = args.max_requests

        async def worker() -> None:
            nonlocal errors, body_bytes, budget
            perf = time.perf_counter
            while True:
                started = perf()
                if started >= stop_at or budget <= 0:
                    return
                measuring = started >= warm_until
                if measuring:
                    budget -= 1
                try:
                    async with session.get(args.url) as response:
                        body = await response.read()
                        status = response.status
                except (aiohttp.ClientError, TimeoutError):
                    errors += 1
                    await asyncio.sleep(0.01)
                    continue
                if measuring:
                    latencies.append((perf() - started) * 1000)
                    statuses[status] = statuses.get(status, 0) + 1
                    body_bytes = len(body)

        cpu_start = time.process_time()
        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(args.connections)))
        ended = time.perf_counter()
        cpu = time.process_time() - cpu_start
    measured = max(1e-9, min(ended, stop_at) - max(began, warm_until))
    latencies.sort()
    ok = statuses.get(200, 0)
    return {
        "client": "aiohttp",
        "connections": args.connections,
        "duration_s": round(measured, 3),
        "requests": len(latencies),
        "ok": ok,
        "statuses": {str(k): v for k, v in statuses.items()},
        "errors": errors,
        "rps": len(latencies) / measured,
        "p50_ms": percentile(latencies, 0.50),
        "p90_ms": percentile(latencies, 0.90),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": latencies[-1] if latencies else None,
        "body_bytes": body_bytes,
        "client_cpu_s": round(cpu, 3),
        "client_cpu_share": round(cpu / max(1e-9, ended - began), 3),
    }


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if match is None:
        raise ValueError(text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_wrk(args: argparse.Namespace) -> dict[str, Any]:
    """Run wrk (one thread) with the same connections and duration."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed")
    command = [
        wrk,
        "-t1",
        f"-c{args.connections}",
        f"-d{max(1, round(args.duration))}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    for header in args.header:
        command += ["-H", header]
    command.append(args.url)
    if args.warmup:
        warm = [*command]
        warm[3] = f"-d{max(1, round(args.warmup))}s"
        subprocess.run(warm, capture_output=True, check=False, timeout=60)
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=600
    )
    elapsed = time.perf_counter() - started
    usage1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    out = done.stdout
    percentiles: dict[str, float] = {}
    for line in out.splitlines():
        match = re.match(r"\s+(50|75|90|99)%\s+(\S+)", line)
        if match:
            percentiles[match.group(1)] = _ms(match.group(2))
    requests_match = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    rps_match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    requests = int(requests_match.group(1)) if requests_match else 0
    return {
        "client": "wrk",
        "connections": args.connections,
        "duration_s": round(elapsed, 3),
        "requests": requests,
        "ok": requests - (int(non2xx.group(1)) if non2xx else 0),
        "errors": socket_errors.group(1) if socket_errors else 0,
        "rps": float(rps_match.group(1)) if rps_match else 0.0,
        "p50_ms": percentiles.get("50"),
        "p90_ms": percentiles.get("90"),
        "p99_ms": percentiles.get("99"),
        "max_ms": None,
        "client_cpu_s": round(cpu, 3),
        "client_cpu_share": round(cpu / max(1e-9, elapsed), 3),
        "raw": out[-2000:],
    }


def main() -> None:
    """Parse arguments, run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--max-requests", type=int, default=2_000_000)
    parser.add_argument("--client", choices=("aiohttp", "wrk"), default="aiohttp")
    args = parser.parse_args()
    if not args.url.startswith(LOOPBACK_PREFIX):
        raise SystemExit(f"refusing a non-loopback URL: {args.url}")
    args.duration = min(args.duration, 120.0)
    result = run_wrk(args) if args.client == "wrk" else asyncio.run(run_aiohttp(args))
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
