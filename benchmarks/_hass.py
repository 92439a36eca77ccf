"""A real Home Assistant process for a benchmark, in a temporary config dir.

What scripts/demo does, cut to what a benchmark needs, and without onboarding:

* ``.storage/http`` makes it listen on 127.0.0.1 and a free port;
* ``.storage/core.config_entries`` holds the PiAlert hub entry with its target
  subentries (written before the start, in Home Assistant's storage format, so
  thousands of targets cost no config-flow round trips);
* ``custom_components/pialert`` links to this repository's integration and
  ``custom_components/bench_probe`` is the benchmark helper (``ha_probe``),
  which reports setup times and makes the API key in-process through the
  ``pialert.create_api_key`` service, once Home Assistant has started.

The process runs in its own session; ``stop`` ends it (SIGTERM, then SIGKILL)
and everything it started.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import json
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import Any

from . import ROOT, say
from ._servers import process_cpu_seconds, process_rss_bytes

HASS = ROOT / ".venv" / "bin" / "hass"
INTEGRATION_DIR = ROOT / "custom_components" / "pialert"
PROBE_DIR = Path(__file__).resolve().parent / "ha_probe"
PYTHON_INCLUDE = ROOT / ".cache" / "python314" / "usr" / "include"
STOP_TIMEOUT = 60.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h

BASE_YAML = """\
# Written by PiAlert's benchmarks in a temporary directory.
logger:
  default: warning
"""


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if the benchmark process dies."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


_ULID_COUNTER = 0


def new_id() -> str:
    """Return a unique, ULID-shaped id (26 characters)."""
    global _ULID_COUNTER  # noqa: PLW0603
    _ULID_COUNTER += 1
    stamp = int(time.time() * 1000)
    return f"01B{stamp:013d}{_ULID_COUNTER:010d}"[:26]


def subentry(data: dict[str, Any]) -> dict[str, Any]:
    """Return a target subentry in Home Assistant's storage format."""
    return {
        "data": data,
        "subentry_id": new_id(),
        "subentry_type": "target",
        "title": data["name"],
        "unique_id": None,
    }


def http_target(
    name: str, url: str, interval: int = 10, **extra: Any
) -> dict[str, Any]:
    """Return an HTTP target's data, as the target flow stores it."""
    return {
        "accepted_status": "200-299",
        "enabled": True,
        "failure_threshold": 3,
        "interval": interval,
        "keyword_absent": False,
        "kind": "http",
        "method": "GET",
        "name": name,
        "success_threshold": 1,
        "timeout": 5.0,
        "url": url,
        "verify_ssl": True,
        **extra,
    }


def entity_target(name: str, entity_id: str, **extra: Any) -> dict[str, Any]:
    """Return an entity target's data (fails while the entity is unavailable)."""
    return {
        "condition": "unavailable",
        "enabled": True,
        "entity_id": entity_id,
        "failure_threshold": 1,
        "for_seconds": 0,
        "interval": 60,
        "kind": "entity",
        "name": name,
        "success_threshold": 1,
        "timeout": 10.0,
        **extra,
    }


def hub_entry(
    targets: list[dict[str, Any]], options: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the PiAlert hub config entry with ``targets`` as subentries."""
    now = dt.datetime.now(dt.UTC).isoformat()
    return {
        "created_at": now,
        "data": {},
        "disabled_by": None,
        "discovery_keys": {},
        "domain": "pialert",
        "entry_id": new_id(),
        "minor_version": 1,
        "modified_at": now,
        "options": options or {},
        "pref_disable_new_entities": False,
        "pref_disable_polling": False,
        "source": "user",
        "subentries": [subentry(t) for t in targets],
        "title": "PiAlert",
        "unique_id": None,
        "version": 1,
    }


class HassInstance:
    """One Home Assistant process in its own temporary config dir."""

    def __init__(
        self,
        name: str,
        *,
        yaml: str = "",
        entry: dict[str, Any] | None = None,
        probe: dict[str, Any] | None = None,
        config_dir: Path | None = None,
        debug_loggers: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.debug_loggers = debug_loggers
        self.own_dir = config_dir is None
        self.dir = config_dir or Path(tempfile.mkdtemp(prefix=f"pialert-bench-{name}-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.probe_file = self.dir / "bench_probe.json"
        self.log_file = self.dir / "home-assistant.log"
        self._write_config(yaml, entry, probe or {})

    # ------------------------------------------------------------------ files

    def _write_config(
        self, yaml: str, entry: dict[str, Any] | None, probe: dict[str, Any]
    ) -> None:
        storage = self.dir / ".storage"
        storage.mkdir(parents=True, exist_ok=True)
        probe_yaml = "bench_probe:\n" + "".join(
            f"  {key}: {json.dumps(value)}\n" for key, value in probe.items()
        )
        if not probe:
            probe_yaml = "bench_probe:\n"
        logger_yaml = ""
        if self.debug_loggers:
            logger_yaml = "  logs:\n" + "".join(
                f"    {name}: debug\n" for name in self.debug_loggers
            )
        (self.dir / "configuration.yaml").write_text(
            BASE_YAML + logger_yaml + probe_yaml + yaml, encoding="utf-8"
        )
        self._write_store(
            "http",
            1,
            1,
            {"server_host": ["127.0.0.1"], "server_port": self.port},
        )
        if entry is not None and not (storage / "core.config_entries").exists():
            self._write_store("core.config_entries", 1, 5, {"entries": [entry]})
        components = self.dir / "custom_components"
        components.mkdir(exist_ok=True)
        link = components / "pialert"
        if not link.exists():
            link.symlink_to(INTEGRATION_DIR, target_is_directory=True)
        probe_dir = components / "bench_probe"
        if not probe_dir.exists():
            shutil.copytree(
                PROBE_DIR, probe_dir, ignore=shutil.ignore_patterns("__pycache__")
            )

    def _write_store(
        self, key: str, version: int, minor: int, data: dict[str, Any]
    ) -> None:
        path = self.dir / ".storage" / key
        payload = {"version": version, "minor_version": minor, "key": key, "data": data}
        path.write_text(json.dumps(payload), encoding="utf-8")

    # ---------------------------------------------------------------- process

    def start(self) -> None:
        """Start ``hass -c DIR`` (logs in the config dir)."""
        if not HASS.exists():
            raise RuntimeError(f"{HASS} is missing: run scripts/setup")
        # The config dir's own http store is rewritten by HA: restate the port.
        self._write_store(
            "http", 1, 1, {"server_host": ["127.0.0.1"], "server_port": self.port}
        )
        with contextlib.suppress(FileNotFoundError):
            self.probe_file.unlink()
        env = dict(os.environ)
        if PYTHON_INCLUDE.is_dir():
            env["CPATH"] = str(PYTHON_INCLUDE) + (
                os.pathsep + env["CPATH"] if env.get("CPATH") else ""
            )
        out = (self.dir / "stdout.log").open("ab")
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(
            [str(HASS), "-c", str(self.dir), "--log-no-color"],
            cwd=self.dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509
        )
        out.close()

    @property
    def pid(self) -> int:
        """Return the process id."""
        assert self.proc is not None
        return self.proc.pid

    def wait_ready(self, timeout: float = 300.0) -> dict[str, Any]:
        """Wait for bench_probe's report (started, hub loaded); return it."""
        deadline = time.monotonic() + timeout
        while True:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(
                    f"Home Assistant ({self.name}) exited while starting:\n"
                    + self.log_tail()
                )
            if self.probe_file.exists():
                try:
                    info: dict[str, Any] = json.loads(
                        self.probe_file.read_text(encoding="utf-8")
                    )
                except ValueError:
                    info = {}
                if info:
                    info["ready_after_s"] = time.monotonic() - self.started_at
                    for entry in info.get("entries", []):
                        if entry.get("state") != "loaded":
                            raise RuntimeError(
                                f"the PiAlert hub did not load: {entry}\n"
                                + self.log_tail()
                            )
                    return info
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"Home Assistant ({self.name}) was not ready in {timeout:.0f} s:\n"
                    + self.log_tail()
                )
            time.sleep(0.2)

    def cpu_seconds(self) -> float:
        """Return the process's CPU time so far (all threads)."""
        return process_cpu_seconds(self.pid)

    def rss_bytes(self) -> int:
        """Return the process's resident memory."""
        return process_rss_bytes(self.pid)

    def log_tail(self, lines: int = 30) -> str:
        """Return the last lines of the log (errors first)."""
        text = ""
        for path in (self.log_file, self.dir / "stdout.log"):
            with contextlib.suppress(OSError):
                text += path.read_text(encoding="utf-8", errors="replace")
        all_lines = text.splitlines()
        errors = [line for line in all_lines if " ERROR " in line][-10:]
        return "\n".join([*errors, "---", *all_lines[-lines:]])

    def errors(self) -> list[str]:
        """Return ERROR lines of the log."""
        with contextlib.suppress(OSError):
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
            return [line for line in text.splitlines() if " ERROR " in line]
        return []

    def stop(self) -> None:
        """Stop hass and its process group: SIGTERM, SIGKILL after a minute."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        pgid = proc.pid
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                say(f"Home Assistant ({self.name}) did not stop in time: killing it")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pgid, signal.SIGKILL)
                proc.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)

    def cleanup(self) -> None:
        """Stop, and remove the config dir unless PIALERT_BENCH_KEEP is set."""
        self.stop()
        if self.own_dir and not os.environ.get("PIALERT_BENCH_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)
        elif self.own_dir:
            say(f"kept {self.dir}")

    def __enter__(self) -> HassInstance:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()
