"""Loopback servers the checks poll: slow HTTP (raw asyncio) and TCP listeners.

Run as a separate process (``python -m benchmarks._servers``) so its CPU time
never counts against the process being measured. It prints one JSON line with
its ports, serves until its standard input closes or ``--max-seconds`` pass,
and binds 127.0.0.1 only.

HTTP paths:
  ``/u/<anything>``      200 "OK" after ``--delay`` seconds
  ``/flap/<anything>``   like /u/ until flapping is on; then 200 and 500 alternate
                          per path, still after the delay
  ``/_flap/on|off``      switch flapping (answers at once)
  ``/_stats``            request counts so far (answers at once); ``/_stats/paths``
                          adds the count per requested path
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import resource
import subprocess
import sys
import threading
import time
from typing import Any
import urllib.request

HOST = "127.0.0.1"


def raise_nofile_limit() -> tuple[int, int]:
    """Raise the soft open-files limit to the hard limit; return the new limits."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1 << 20
    if soft < hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


@dataclass
class ServerState:
    """Counters and switches shared by all connections."""

    delay: float
    requests: int = 0
    slow_requests: int = 0
    flap_requests: int = 0
    flapping: bool = False
    flap_counts: dict[bytes, int] = field(default_factory=dict)
    path_counts: dict[bytes, int] = field(default_factory=dict)
    connections: int = 0
    tcp_connections: int = 0


def _response(status: int, body: bytes, close: bool) -> bytes:
    reason = {200: b"OK", 404: b"Not Found", 500: b"Internal Server Error"}[status]
    head = (
        b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
        b"Connection: %s\r\n\r\n"
        % (status, reason, len(body), b"close" if close else b"keep-alive")
    )
    return head + body


class SlowHttp(asyncio.Protocol):
    """HTTP/1.1 keep-alive, GET only, answering after the configured delay."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.loop = asyncio.get_running_loop()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.state.connections += 1

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
            self._request(head)

    def _request(self, head: bytes) -> None:
        state = self.state
        state.requests += 1
        request_line, _, headers = head.partition(b"\r\n")
        parts = request_line.split(b" ")
        path = parts[1] if len(parts) > 1 else b"/"
        close = b"connection: close" in headers.lower()
        if path.startswith(b"/_stats"):
            body = json.dumps(
                {
                    "requests": state.requests,
                    "slow_requests": state.slow_requests,
                    "flap_requests": state.flap_requests,
                    "connections": state.connections,
                    "tcp_connections": state.tcp_connections,
                    "flapping": state.flapping,
                    **(
                        {"paths": {p.decode(): n for p, n in state.path_counts.items()}}
                        if path.startswith(b"/_stats/paths")
                        else {}
                    ),
                }
            ).encode()
            self._write(_response(200, body, close), close)
        elif path.startswith(b"/_flap/"):
            state.flapping = path.endswith(b"/on")
            body = json.dumps({"flapping": state.flapping}).encode()
            self._write(_response(200, body, close), close)
        elif path.startswith(b"/flap/"):
            state.flap_requests += 1
            state.path_counts[path] = state.path_counts.get(path, 0) + 1
            status = 200
            if state.flapping:
                count = state.flap_counts.get(path, 0) + 1
                state.flap_counts[path] = count
                status = 500 if count % 2 else 200
            self.loop.call_later(
                state.delay, self._write, _response(status, b"OK", close), close
            )
        elif path.startswith(b"/u/"):
            state.slow_requests += 1
            state.path_counts[path] = state.path_counts.get(path, 0) + 1
            self.loop.call_later(
                state.delay, self._write, _response(200, b"OK", close), close
            )
        else:
            self._write(_response(404, b"no", close), close)

    def _write(self, data: bytes, close: bool) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.write(data)
        if close:
            self.transport.close()


class TcpAccept(asyncio.Protocol):
    """Accepts and waits for the client to close (what a TCP check needs)."""

    def __init__(self, state: ServerState) -> None:
        self.state = state

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.state.tcp_connections += 1


async def serve(args: argparse.Namespace) -> None:
    """Listen, print the ports, serve until stdin closes or time is up."""
    raise_nofile_limit()
    loop = asyncio.get_running_loop()
    state = ServerState(delay=args.delay)
    servers: list[asyncio.Server] = []
    http_ports: list[int] = []
    tcp_ports: list[int] = []
    for _ in range(args.http_ports):
        server = await loop.create_server(
            lambda: SlowHttp(state), HOST, 0, backlog=4096, reuse_address=True
        )
        servers.append(server)
        http_ports.append(server.sockets[0].getsockname()[1])
    for _ in range(args.tcp_ports):
        server = await loop.create_server(
            lambda: TcpAccept(state), HOST, 0, backlog=4096, reuse_address=True
        )
        servers.append(server)
        tcp_ports.append(server.sockets[0].getsockname()[1])
    print(json.dumps({"http": http_ports, "tcp": tcp_ports, "pid": os.getpid()}))
    sys.stdout.flush()

    stdin_closed = asyncio.Event()

    def stdin_reader() -> None:
        # Blocks until the parent closes the pipe (or dies).
        with contextlib.suppress(OSError, ValueError):
            sys.stdin.buffer.read()
        loop.call_soon_threadsafe(stdin_closed.set)

    threading.Thread(target=stdin_reader, daemon=True).start()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(args.max_seconds):
            await stdin_closed.wait()
    for server in servers:
        server.close()


def main() -> None:
    """Run the servers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--http-ports", type=int, default=1)
    parser.add_argument("--tcp-ports", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--max-seconds", type=float, default=1800.0)
    asyncio.run(serve(parser.parse_args()))


# ------------------------------------------------------------------ parent side


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get_json(url: str, timeout: float = 10.0) -> Any:
    """GET a loopback URL and decode JSON (no proxies: loopback only)."""
    if not url.startswith(f"http://{HOST}:"):
        raise ValueError(f"refusing a non-loopback URL: {url}")
    with _OPENER.open(url, timeout=timeout) as response:
        return json.loads(response.read())


class SlowServer:
    """The server process, seen from the benchmark."""

    def __init__(
        self,
        http_ports: int = 1,
        tcp_ports: int = 0,
        delay: float = 0.1,
        max_seconds: float = 1800.0,
    ) -> None:
        self.args = [
            sys.executable,
            "-m",
            "benchmarks._servers",
            "--http-ports",
            str(http_ports),
            "--tcp-ports",
            str(tcp_ports),
            "--delay",
            str(delay),
            "--max-seconds",
            str(max_seconds),
        ]
        self.proc: subprocess.Popen[bytes] | None = None
        self.http_ports: list[int] = []
        self.tcp_ports: list[int] = []
        self.pid = 0

    def __enter__(self) -> SlowServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start the process and read its ports."""
        root = Path(__file__).resolve().parent.parent
        self.proc = subprocess.Popen(
            self.args,
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.stop()
            raise RuntimeError("the loopback server did not start")
        info = json.loads(line)
        self.http_ports = info["http"]
        self.tcp_ports = info["tcp"]
        self.pid = info["pid"]

    def url(self, index: int, path: str = "u") -> str:
        """Return the URL of slow resource ``index``, spread over the ports."""
        port = self.http_ports[index % len(self.http_ports)]
        return f"http://{HOST}:{port}/{path}/{index}"

    def tcp_port(self, index: int) -> int:
        """Return the TCP listener for target ``index``."""
        return self.tcp_ports[index % len(self.tcp_ports)]

    def control(self, path: str) -> Any:
        """Call a control path (``_stats``, ``_flap/on``)."""
        return get_json(f"http://{HOST}:{self.http_ports[0]}/{path}")

    def stats(self) -> dict[str, Any]:
        """Return the request counters."""
        return dict(self.control("_stats"))

    def cpu_seconds(self) -> float:
        """Return the server process's CPU time so far."""
        return process_cpu_seconds(self.pid)

    def stop(self) -> None:
        """Close stdin (the server exits), kill it if it lingers."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            if proc.stdin:
                proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """Return CPU seconds of process ``pid`` (all its threads).

    /proc/PID/stat counts in clock ticks (10 ms), too coarse for short
    windows; the threads' schedstat counts nanoseconds but forgets threads
    that have ended. The larger of the two is the better estimate.
    """
    text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    # The command name may contain spaces: fields start after the last ")".
    fields = text.rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])
    ticks = (utime + stime) / _CLOCK_TICKS
    nanoseconds = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError, IndexError):
                schedstat = (task / "schedstat").read_text(encoding="utf-8")
                nanoseconds += int(schedstat.split()[0])
    except OSError:
        return ticks
    precise = nanoseconds / 1e9
    # Within a tick per thread of each other: trust the precise figure.
    return precise if precise >= ticks - 0.05 else ticks


def process_rss_bytes(pid: int) -> int:
    """Return the resident set size of process ``pid``."""
    pages = int(Path(f"/proc/{pid}/statm").read_text(encoding="utf-8").split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def wait_until(predicate: Any, timeout: float, interval: float = 0.2) -> bool:
    """Poll ``predicate`` until true or ``timeout``; return its last value."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)


if __name__ == "__main__":
    main()
