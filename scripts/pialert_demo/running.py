"""A demo in a child process, for the browser tests and scripts/screenshots.

``running_demo`` starts ``scripts/demo --fresh --port 0`` in its own
directory, reads where to log in from what it prints, and stops it (Ctrl-C,
as a person would) afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
import os
import re
import signal
import subprocess

from scripts.hass_process import ROOT

from . import DemoError

STOP_TIMEOUT = 90.0


@dataclass(frozen=True)
class RunningDemo:
    """A running demo: where it is and how to log in."""

    base_url: str
    username: str
    password: str


def _wait_ready(proc: subprocess.Popen[str], log: list[str]) -> RunningDemo:
    fields: dict[str, str] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        log.append(line)
        if match := re.match(r"(Open|Username|Password):\s+(\S+)", line):
            fields[match[1]] = match[2]
        if "Home Assistant keeps running" in line:
            return RunningDemo(
                fields["Open"].rstrip("/"), fields["Username"], fields["Password"]
            )
    raise DemoError("scripts/demo did not get ready:\n" + "".join(log[-40:]))


@contextmanager
def running_demo(name: str) -> Iterator[RunningDemo]:
    """Run a fresh demo in ``.demo-NAME`` on a free port while in the block."""
    proc = subprocess.Popen(
        [str(ROOT / "scripts" / "demo"), "--fresh", "--port", "0"],
        cwd=ROOT,
        env={**os.environ, "PIALERT_DEMO_DIR": str(ROOT / f".demo-{name}")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    try:
        yield _wait_ready(proc, log)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
