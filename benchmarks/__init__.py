"""PiAlert benchmarks: ``scripts/bench [--quick] [NAME ...]``.

Every benchmark is a module with ``NAME``, ``TITLE`` and ``run(quick: bool) ->
Result``. All traffic goes to 127.0.0.1, every load loop is bounded in count
and time, and every process a benchmark starts is stopped by it.
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass, field
import datetime as dt
import json
import os
from pathlib import Path
import platform
import subprocess
import sys
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
PYTHON = sys.executable


@dataclass
class Figure:
    """One measured number, with its goal when the issue sets one."""

    name: str
    value: float | int | None
    unit: str = ""
    goal: str = ""
    met: bool | None = None
    """True or False against the goal; None when there is no goal."""
    note: str = ""


@dataclass
class Result:
    """What one benchmark measured."""

    name: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    error: str | None = None

    def add(
        self,
        name: str,
        value: float | None,
        unit: str = "",
        goal: str = "",
        met: bool | None = None,
        note: str = "",
    ) -> Figure:
        """Add a figure and return it."""
        figure = Figure(name, value, unit, goal, met, note)
        self.figures.append(figure)
        return figure

    def as_dict(self) -> dict[str, Any]:
        """Return JSON-safe data."""
        return asdict(self)


def say(message: str) -> None:
    """Print a progress line (stderr, so the table on stdout stays clean)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def ha_version() -> str:
    """Return the installed Home Assistant version."""
    try:
        from homeassistant.const import __version__  # noqa: PLC0415
    except ImportError:
        return "not installed"
    return str(__version__)


def machine_facts() -> dict[str, Any]:
    """Return what the figures depend on."""
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_kib = None
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
                break
    except OSError:
        pass
    try:
        import resource  # noqa: PLC0415

        nofile = list(resource.getrlimit(resource.RLIMIT_NOFILE))
    except ImportError, OSError:
        nofile = None
    try:
        import aiohttp  # noqa: PLC0415

        aiohttp_version = aiohttp.__version__
    except ImportError:
        aiohttp_version = None
    commit = None
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        ).stdout.strip()
    return {
        "git": commit or None,
        "cores": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_mib": memory_kib // 1024 if memory_kib else None,
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "home_assistant": ha_version(),
        "aiohttp": aiohttp_version,
        "platform": platform.platform(),
        "nofile_limit": nofile,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def write_results(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON, atomically (a .tmp file, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def format_value(value: float | None, unit: str) -> str:
    """Return a figure's value for the table."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        text = f"{value:,}"
    elif abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    elif abs(value) >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3f}"
    return f"{text} {unit}".strip()


def met_text(met: bool | None) -> str:
    """Return the table's verdict column."""
    return {True: "yes", False: "NO", None: ""}[met]


def table(results: list[Result], markdown: bool = False) -> str:
    """Return all figures as one table (plain text or Markdown)."""
    rows = [("Benchmark", "Figure", "Value", "Goal", "Met", "Note")]
    for result in results:
        if result.error:
            rows.append((result.name, "ERROR", "", "", "NO", result.error[:120]))
        for figure in result.figures:
            note = figure.note if markdown else figure.note[:60]
            rows.append(
                (
                    result.name,
                    figure.name,
                    format_value(figure.value, figure.unit),
                    figure.goal,
                    met_text(figure.met),
                    note.replace("|", "/"),
                )
            )
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |", "|---|---|---:|---|---|---|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for index, row in enumerate(rows):
        cells = [
            cell.rjust(widths[i]) if i == 2 and index else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        out.append("  ".join(cells).rstrip())
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
