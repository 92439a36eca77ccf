"""A real Home Assistant process on a config dir: for scripts/demo and benchmarks/.

Both prepare a config dir (the HTTP store that makes it listen on 127.0.0.1 and
a port, a link to this repository's integration), start ``hass -c DIR`` in its
own session, so that stopping it ends everything it started (a pip install,
say), and stop it: SIGTERM, then SIGKILL.
"""

from __future__ import annotations

from collections.abc import Callable
import contextlib
import ctypes
import json
import os
from pathlib import Path
import signal
import socket
import subprocess
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HASS = ROOT / ".venv" / "bin" / "hass"
INTEGRATION_DIR = ROOT / "custom_components" / "pialert"
PYTHON_INCLUDE = ROOT / ".cache" / "python314" / "usr" / "include"
DOMAIN = "pialert"
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class HassError(RuntimeError):
    """Home Assistant cannot be prepared or started; the message says why."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_in_use(port: int) -> bool:
    """Return True when something already listens on 127.0.0.1:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def write_store(
    config_dir: Path,
    key: str,
    data: Any,
    *,
    version: int = 1,
    minor_version: int = 1,
    replace: bool = True,
) -> None:
    """Write ``.storage/KEY`` in Home Assistant's storage format (mode 0600).

    With ``replace=False`` an existing store is kept (and this returns quietly).
    """
    storage = config_dir / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    payload = {
        "version": version,
        "minor_version": minor_version,
        "key": key,
        "data": data,
    }
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    try:
        fd = os.open(storage / key, flags, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2)
        handle.write("\n")


def write_http_settings(config_dir: Path, port: int) -> None:
    """Make hass listen on 127.0.0.1:port by writing its HTTP store.

    Written in the store's version 1 layout (the bare settings): Home Assistant
    migrates it on load, filling in every default, and takes it as its stable,
    confirmed configuration (no trial period, no automatic revert). Home
    Assistant rewrites this store, so it is restated before every start.
    """
    write_store(config_dir, "http", {"server_host": ["127.0.0.1"], "server_port": port})


def link_integration(config_dir: Path) -> None:
    """Point <config>/custom_components/pialert at the repository's integration."""
    components = config_dir / "custom_components"
    components.mkdir(parents=True, exist_ok=True)
    link = components / DOMAIN
    target = os.path.relpath(INTEGRATION_DIR, components)
    if link.is_symlink():
        if os.readlink(link) == target:
            return
        link.unlink()
    elif link.exists():
        raise HassError(
            f"{link} exists and is not a link: move it away (or use a new config "
            "dir) so the repository's integration can be linked there"
        )
    link.symlink_to(target, target_is_directory=True)


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if the starting process dies."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def hass_environment() -> dict[str, str]:
    """Return the environment for hass.

    With an unpacked interpreter (scripts/setup), CPATH lets the packages that
    Home Assistant pip-installs at run time find Python.h.
    """
    env = dict(os.environ)
    if PYTHON_INCLUDE.is_dir():
        env["CPATH"] = str(PYTHON_INCLUDE) + (
            os.pathsep + env["CPATH"] if env.get("CPATH") else ""
        )
    return env


class HassProcess:
    """``hass -c CONFIG_DIR`` in its own session, its output appended to a file."""

    def __init__(
        self,
        config_dir: Path,
        *,
        output: Path,
        say: Callable[[str], None],
        label: str = "Home Assistant",
        cwd: Path = ROOT,
        stop_timeout: float = 30.0,
        die_with_parent: bool = False,
    ) -> None:
        """Nothing runs yet; ``say`` prints progress lines."""
        self.config_dir = config_dir
        self.output = output
        self.say = say
        self.label = label
        self.cwd = cwd
        self.stop_timeout = stop_timeout
        self.die_with_parent = die_with_parent
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start hass."""
        if not HASS.exists():
            raise HassError(f"{HASS} is missing: run scripts/setup")
        self.output.parent.mkdir(parents=True, exist_ok=True)
        with self.output.open("ab") as output:
            self.proc = subprocess.Popen(
                [str(HASS), "-c", str(self.config_dir), "--log-no-color"],
                cwd=self.cwd,
                env=hass_environment(),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent if self.die_with_parent else None,  # noqa: PLW1509
            )

    @property
    def pid(self) -> int:
        """Return the process id (also its process group's: a session leader)."""
        if self.proc is None:
            raise HassError(f"{self.label} is not running")
        return self.proc.pid

    def exit_code(self) -> int | None:
        """Return hass's exit code, or None while it runs (or before it starts)."""
        return None if self.proc is None else self.proc.poll()

    @property
    def running(self) -> bool:
        """Return True between start() and hass's exit."""
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL hass and its process group at once (a crash); wait for it."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop(self) -> None:
        """Stop hass and all it started: SIGTERM, SIGKILL after stop_timeout.

        A Ctrl-C or SIGTERM while waiting skips straight to SIGKILL.
        """
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            self.say(f"stopping {self.label}")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired, KeyboardInterrupt:
                self.say(f"{self.label} did not stop in time: killing it")
        # Whatever hass left behind in its group goes too.
        self.kill()
