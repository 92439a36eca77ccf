"""A real Home Assistant process for a benchmark, in a temporary config dir.

scripts/hass_process.py starts and stops it (as it does for scripts/demo);
this adds what a benchmark needs, without onboarding:

* ``.storage/http`` makes it listen on 127.0.0.1 and a free port;
* ``.storage/core.config_entries`` holds the PiAlert hub entry with its target
  subentries (written before the start, in Home Assistant's storage format, so
  thousands of targets cost no config-flow round trips);
* ``custom_components/pialert`` links to this repository's integration and
  ``custom_components/bench_probe`` is the benchmark helper (``ha_probe``),
  which reports setup times and makes the API key in-process through the
  ``pialert.create_api_key`` service, once Home Assistant has started.

The process runs in its own session; ``stop`` ends it (SIGTERM, then SIGKILL)
and everything it started; it gets SIGTERM when the benchmark process dies.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from pathlib import Path
import shutil
import tempfile
import time
from typing import Any

from scripts.hass_process import (
    HassProcess,
    free_port,
    link_integration,
    write_http_settings,
    write_store,
)

from . import say
from ._servers import process_cpu_seconds, process_rss_bytes

PROBE_DIR = Path(__file__).resolve().parent / "ha_probe"
STOP_TIMEOUT = 60.0

BASE_YAML = """\
# Written by PiAlert's benchmarks in a temporary directory.
logger:
  default: warning
"""


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


class HassInstance(HassProcess):
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
        super().__init__(
            self.dir,
            output=self.dir / "stdout.log",
            say=say,
            label=f"Home Assistant ({name})",
            cwd=self.dir,
            stop_timeout=STOP_TIMEOUT,
            die_with_parent=True,
        )
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.started_at = 0.0
        self.probe_file = self.dir / "bench_probe.json"
        self.log_file = self.dir / "home-assistant.log"
        self.write_config(yaml, entry, probe)

    # ------------------------------------------------------------------ files

    def write_config(
        self,
        yaml: str = "",
        entry: dict[str, Any] | None = None,
        probe: dict[str, Any] | None = None,
    ) -> None:
        """Write configuration.yaml; the hub ``entry`` only into a new config dir.

        ``probe`` configures bench_probe (``api_key``: make one at start-up).
        """
        probe_yaml = "bench_probe:\n" + "".join(
            f"  {key}: {json.dumps(value)}\n" for key, value in (probe or {}).items()
        )
        logger_yaml = ""
        if self.debug_loggers:
            logger_yaml = "  logs:\n" + "".join(
                f"    {name}: debug\n" for name in self.debug_loggers
            )
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "configuration.yaml").write_text(
            BASE_YAML + logger_yaml + probe_yaml + yaml, encoding="utf-8"
        )
        if entry is not None:
            write_store(
                self.dir,
                "core.config_entries",
                {"entries": [entry]},
                minor_version=5,
                replace=False,
            )
        link_integration(self.dir)
        probe_dir = self.dir / "custom_components" / "bench_probe"
        if not probe_dir.exists():
            shutil.copytree(
                PROBE_DIR, probe_dir, ignore=shutil.ignore_patterns("__pycache__")
            )

    # ---------------------------------------------------------------- process

    def start(self) -> None:
        """Start ``hass -c DIR`` (logs in the config dir)."""
        write_http_settings(self.dir, self.port)
        with contextlib.suppress(FileNotFoundError):
            self.probe_file.unlink()
        self.started_at = time.monotonic()
        super().start()

    def wait_ready(self, timeout: float = 300.0) -> dict[str, Any]:
        """Wait for bench_probe's report (started, hub loaded); return it."""
        deadline = time.monotonic() + timeout
        while True:
            if not self.running:
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
        for path in (self.log_file, self.output):
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
