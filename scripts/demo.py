"""Run a real Home Assistant with the PiAlert integration, ready to click through.

Start-up, in order:
  1. write .demo/config/configuration.yaml (when missing or written by this script),
     the HTTP settings (127.0.0.1 and the port) in .demo/config/.storage/http, and
     link .demo/config/custom_components/pialert to this repository's integration;
  2. start ``hass -c .demo/config`` in its own process group, logging to
     .demo/home-assistant.log, and wait until its HTTP API answers;
  3. onboard through the onboarding REST API (user "demo" with a random password kept
     in .demo/credentials.json), or log in with the saved credentials when the
     instance was onboarded on an earlier run;
  4. add the PiAlert hub through the config-flow REST API and check it is loaded;
  5. run ``after_hub`` (the place for later demo steps) and print what to open.

Then it keeps Home Assistant running until Ctrl-C or SIGTERM, or with ``--check``
stops it at once and exits 0 when everything worked, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping
import contextlib
from dataclasses import dataclass
import fcntl
import json
import os
from pathlib import Path
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / ".demo"
CONFIG_DIR = DEMO_DIR / "config"
LOG_FILE = DEMO_DIR / "home-assistant.log"
CREDENTIALS_FILE = DEMO_DIR / "credentials.json"
INTEGRATION_DIR = ROOT / "custom_components" / "pialert"
HASS = ROOT / ".venv" / "bin" / "hass"
PYTHON_INCLUDE = ROOT / ".cache" / "python314" / "usr" / "include"

DOMAIN = "pialert"
USERNAME = "demo"
DISPLAY_NAME = "PiAlert Demo"
DEFAULT_PORT = 8123
START_TIMEOUT = 170.0
STOP_TIMEOUT = 30.0
RESTART_EXIT_CODE = 100  # what hass exits with when asked to restart
CONFIG_MARKER = "# Written by scripts/demo"
START_BANNER = "===== scripts/demo: starting hass,"
FAILED_ENTRY_STATES = ("setup_error", "migration_error", "failed_unload")
ONBOARDING_STEPS = ("user", "core_config", "analytics", "integration")

CONFIGURATION_YAML = f"""\
{CONFIG_MARKER}: it rewrites this file on every run.
# Remove the line above to keep your own edits.
#
# No http: here. Since 2026.x Home Assistant keeps its HTTP settings in
# .storage/http; YAML is imported once, as a trial that reverts to 0.0.0.0:8123
# with a restart after five minutes. scripts/demo writes .storage/http itself,
# before each start, to listen on 127.0.0.1 and the port it was given.

# Just enough for the UI; default_config: would pull in far more (and slow start-up).
frontend:
config:
history:
logbook:
webhook:

logger:
  default: info
  logs:
    custom_components.pialert: debug
"""


class DemoError(Exception):
    """A step failed; the message says why."""


@dataclass
class Credentials:
    """The demo user's login."""

    username: str
    password: str


def say(message: str) -> None:
    """Print a progress line."""
    print(f"[demo] {message}", flush=True)


# --------------------------------------------------------------------------- config


def prepare_config(port: int, *, fresh: bool) -> None:
    """Create the config dir, its configuration.yaml, HTTP settings and the link."""
    if instance_running():
        raise DemoError(
            f"a Home Assistant already runs with {CONFIG_DIR.relative_to(ROOT)} "
            "(another scripts/demo?): stop it first"
        )
    if fresh and CONFIG_DIR.exists():
        say(f"--fresh: removing {CONFIG_DIR.relative_to(ROOT)}")
        shutil.rmtree(CONFIG_DIR)
    CONFIG_DIR.mkdir(parents=True, exist_ok=True)

    config_file = CONFIG_DIR / "configuration.yaml"
    current = config_file.read_text(encoding="utf-8") if config_file.exists() else None
    if current is None or current.startswith(CONFIG_MARKER):
        if current != CONFIGURATION_YAML:
            config_file.write_text(CONFIGURATION_YAML, encoding="utf-8")
    else:
        say(f"keeping {config_file.relative_to(ROOT)}: it was not written by the demo")

    write_http_settings(port)
    link_integration()


def instance_running() -> bool:
    """Return True when a hass holds the config dir's single-instance lock."""
    lock_path = CONFIG_DIR / ".ha_run.lock"
    if not lock_path.exists():
        return False
    with lock_path.open("a", encoding="utf-8") as lock_file:
        try:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
    return False


def write_http_settings(port: int) -> None:
    """Make hass listen on 127.0.0.1:port by writing its HTTP store.

    Written in the store's version 1 layout (the bare settings): Home Assistant
    migrates it on load, filling in every default, and takes it as its stable,
    confirmed configuration (no trial period, no automatic revert).
    """
    storage = CONFIG_DIR / ".storage"
    storage.mkdir(exist_ok=True)
    payload = {
        "version": 1,
        "minor_version": 1,
        "key": "http",
        "data": {"server_host": ["127.0.0.1"], "server_port": port},
    }
    path = storage / "http"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2)
        handle.write("\n")


def link_integration() -> None:
    """Point <config>/custom_components/pialert at the repository's integration."""
    components = CONFIG_DIR / "custom_components"
    components.mkdir(exist_ok=True)
    link = components / DOMAIN
    target = os.path.relpath(INTEGRATION_DIR, components)
    if link.is_symlink():
        if os.readlink(link) == target:
            return
        link.unlink()
    elif link.exists():
        raise DemoError(
            f"{link} exists and is not a link: move it away (or use --fresh) so the "
            "demo can link the repository's integration there"
        )
    link.symlink_to(target, target_is_directory=True)


def load_credentials() -> Credentials | None:
    """Return the saved demo login, if any."""
    try:
        data = json.loads(CREDENTIALS_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        raise DemoError(f"cannot read {CREDENTIALS_FILE}: {err}") from err
    if not isinstance(data, dict) or not isinstance(data.get("password"), str):
        raise DemoError(
            f"{CREDENTIALS_FILE} has no password: delete it and use --fresh"
        )
    return Credentials(str(data.get("username", USERNAME)), data["password"])


def new_credentials() -> Credentials:
    """Make a random password for the demo user and save it (mode 0600)."""
    credentials = Credentials(USERNAME, secrets.token_urlsafe(18))
    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    text = json.dumps(
        {"username": credentials.username, "password": credentials.password}, indent=2
    )
    fd = os.open(CREDENTIALS_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    CREDENTIALS_FILE.chmod(0o600)
    return credentials


# ------------------------------------------------------------------------- process


def port_in_use(port: int) -> bool:
    """Return True when something already listens on 127.0.0.1:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Hass:
    """The Home Assistant process: started in its own process group."""

    def __init__(self) -> None:
        """Nothing runs yet."""
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start hass -c CONFIG_DIR, logging to LOG_FILE."""
        if not HASS.exists():
            raise DemoError(f"{HASS} is missing: run scripts/setup")
        env = dict(os.environ)
        if PYTHON_INCLUDE.is_dir():
            # Lets packages that Home Assistant pip-installs at run time find Python.h.
            env["CPATH"] = str(PYTHON_INCLUDE) + (
                os.pathsep + env["CPATH"] if env.get("CPATH") else ""
            )
        DEMO_DIR.mkdir(parents=True, exist_ok=True)
        with LOG_FILE.open("ab") as log:
            log.write(f"\n{START_BANNER} {time.ctime()} =====\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [str(HASS), "-c", str(CONFIG_DIR), "--log-no-color"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def exit_code(self) -> int | None:
        """Return hass's exit code, or None while it runs."""
        return None if self.proc is None else self.proc.poll()

    def stop(self) -> None:
        """Stop hass and all it started: SIGTERM, SIGKILL after STOP_TIMEOUT.

        A Ctrl-C or SIGTERM while waiting skips straight to SIGKILL.
        """
        if self.proc is None:
            return
        proc, pgid = self.proc, self.proc.pid  # session leader: pgid == pid
        if proc.poll() is None:
            say("stopping Home Assistant")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired, KeyboardInterrupt:
                say("Home Assistant did not stop in time: killing it")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pgid, signal.SIGKILL)
                proc.wait()
        # Whatever hass left behind in its group (a pip install, say) goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        self.proc = None


def log_tail(lines: int = 40) -> str:
    """Return the integration's errors and the last lines of the hass log."""
    try:
        text = LOG_FILE.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log)"
    lines_now = text.rsplit(START_BANNER, 1)[-1].splitlines()  # this start only
    errors = [line for line in lines_now if " ERROR " in line and DOMAIN in line]
    parts = []
    if errors:
        parts += [f"--- errors mentioning {DOMAIN} ---", *errors[-10:]]
    parts += ["--- last lines ---", *lines_now[-lines:]]
    return "\n".join(parts)


# ---------------------------------------------------------------------------- HTTP


async def request_json(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    token: str | None = None,
    json_body: Any = None,
    form: Mapping[str, str] | None = None,
) -> tuple[int, Any]:
    """Send a request; return the status and the decoded JSON (or text) body."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with session.request(
        method, url, headers=headers, json=json_body, data=form
    ) as response:
        text = await response.text()
        try:
            body: Any = json.loads(text) if text else None
        except ValueError:
            body = text
        return response.status, body


def expect_ok(what: str, status: int, body: Any) -> Any:
    """Return body when status is 200, else fail with what went wrong."""
    if status != 200:
        raise DemoError(f"{what}: HTTP {status}: {body}")
    return body


async def wait_for_http(
    session: aiohttp.ClientSession,
    base_url: str,
    hass: Hass,
    deadline: float,
) -> list[dict[str, Any]]:
    """Wait until the HTTP API answers; return the onboarding steps.

    hass opens its port only once frontend (and with it auth and onboarding) is
    set up. Onboarding registers no views on a fully onboarded instance, so a
    404 there means: every step is done.
    """
    while True:
        if (code := hass.exit_code()) is not None:
            raise DemoError(f"Home Assistant exited with code {code} while starting")
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            status, body = await request_json(
                session, "GET", f"{base_url}/api/onboarding"
            )
            if status == 200 and isinstance(body, list):
                return body
            if status == 404:
                return [{"step": step, "done": True} for step in ONBOARDING_STEPS]
        if time.monotonic() > deadline:
            raise DemoError("Home Assistant's HTTP API did not answer in time")
        await asyncio.sleep(0.5)


async def wait_until_running(
    session: aiohttp.ClientSession, base_url: str, token: str, deadline: float
) -> None:
    """Wait until Home Assistant has finished starting (core state RUNNING)."""
    state = "?"
    while True:
        status, body = await request_json(
            session, "GET", f"{base_url}/api/config", token=token
        )
        if status == 200 and isinstance(body, dict):
            state = str(body.get("state"))
            if state == "RUNNING":
                return
        if time.monotonic() > deadline:
            raise DemoError(f"Home Assistant did not finish starting (state {state})")
        await asyncio.sleep(0.5)


# ---------------------------------------------------------------------------- auth


async def exchange_code(
    session: aiohttp.ClientSession, base_url: str, client_id: str, code: str
) -> str:
    """Trade an authorization code for an access token."""
    status, body = await request_json(
        session,
        "POST",
        f"{base_url}/auth/token",
        form={"grant_type": "authorization_code", "code": code, "client_id": client_id},
    )
    body = expect_ok("token exchange", status, body)
    return str(body["access_token"])


async def log_in(
    session: aiohttp.ClientSession,
    base_url: str,
    client_id: str,
    credentials: Credentials,
) -> str:
    """Log in through the login flow API; return the authorization code."""
    redirect_uri = f"{base_url}/?auth_callback=1"
    status, body = await request_json(
        session,
        "POST",
        f"{base_url}/auth/login_flow",
        json_body={
            "client_id": client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": redirect_uri,
        },
    )
    body = expect_ok("starting the login flow", status, body)
    status, body = await request_json(
        session,
        "POST",
        f"{base_url}/auth/login_flow/{body['flow_id']}",
        json_body={
            "client_id": client_id,
            "username": credentials.username,
            "password": credentials.password,
        },
    )
    body = expect_ok("logging in", status, body)
    if body.get("type") != "create_entry":
        raise DemoError(
            f"logging in as {credentials.username!r} failed ({body.get('errors')}): "
            f"the password in {CREDENTIALS_FILE.relative_to(ROOT)} does not match this "
            "instance; start over with --fresh"
        )
    return str(body["result"])


async def onboard_or_log_in(
    session: aiohttp.ClientSession, base_url: str, steps: list[dict[str, Any]]
) -> tuple[str, Credentials]:
    """Onboard a new instance or log in to an onboarded one; return a token."""
    client_id = f"{base_url}/"
    done = {step["step"] for step in steps if step.get("done")}
    credentials = load_credentials()
    code: str | None = None

    if "user" not in done:
        if credentials is None:
            credentials = new_credentials()
        say(f"onboarding: creating user {credentials.username!r}")
        status, body = await request_json(
            session,
            "POST",
            f"{base_url}/api/onboarding/users",
            json_body={
                "client_id": client_id,
                "name": DISPLAY_NAME,
                "username": credentials.username,
                "password": credentials.password,
                "language": "en",
            },
        )
        if status == 200:
            code = str(expect_ok("creating the user", status, body)["auth_code"])
        elif status != 403:  # 403: the user step was done meanwhile
            expect_ok("creating the user", status, body)

    if credentials is None:  # only when the user step was done on an earlier run
        raise DemoError(
            f"this instance is onboarded but {CREDENTIALS_FILE.relative_to(ROOT)} "
            "is missing: start over with --fresh"
        )
    if code is None:
        say(f"logging in as {credentials.username!r}")
        code = await log_in(session, base_url, client_id, credentials)

    token = await exchange_code(session, base_url, client_id, code)
    await finish_onboarding(session, base_url, token, client_id)
    return token, credentials


async def finish_onboarding(
    session: aiohttp.ClientSession, base_url: str, token: str, client_id: str
) -> None:
    """Mark the remaining onboarding steps done so the UI skips onboarding."""
    status, steps = await request_json(session, "GET", f"{base_url}/api/onboarding")
    if status == 404:  # onboarding was finished on an earlier run
        return
    steps = expect_ok("reading the onboarding state", status, steps)
    bodies: dict[str, dict[str, str]] = {
        "core_config": {},
        "analytics": {},
        "integration": {
            "client_id": client_id,
            "redirect_uri": f"{base_url}/?auth_callback=1",
        },
    }
    for step in steps:
        name = step["step"]
        if step.get("done") or name not in bodies:
            continue
        say(f"onboarding: step {name}")
        status, body = await request_json(
            session,
            "POST",
            f"{base_url}/api/onboarding/{name}",
            token=token,
            json_body=bodies[name],
        )
        if status != 403:  # 403: already done
            expect_ok(f"onboarding step {name}", status, body)


# ----------------------------------------------------------------------------- hub


async def ensure_hub(session: aiohttp.ClientSession, base_url: str, token: str) -> None:
    """Add the PiAlert hub through the config flow, unless it exists."""
    flows = f"{base_url}/api/config/config_entries/flow"
    status, result = await request_json(
        session,
        "POST",
        flows,
        token=token,
        json_body={"handler": DOMAIN, "show_advanced_options": False},
    )
    if status == 404:
        raise DemoError(
            f"Home Assistant has no config flow for {DOMAIN!r}: the integration did "
            "not load (see the errors below)"
        )
    result = expect_ok("starting the PiAlert config flow", status, result)
    if result.get("type") == "form" and result.get("step_id") == "user":
        status, result = await request_json(
            session, "POST", f"{flows}/{result['flow_id']}", token=token, json_body={}
        )
        result = expect_ok("submitting the PiAlert config flow", status, result)
    kind, reason = result.get("type"), result.get("reason")
    if kind == "create_entry":
        say("PiAlert hub added")
    elif kind == "abort" and reason in (
        "single_instance_allowed",
        "already_configured",
    ):
        say("PiAlert hub already exists")
    else:
        raise DemoError(f"the PiAlert config flow ended unexpectedly: {result}")


async def verify_hub(
    session: aiohttp.ClientSession, base_url: str, token: str, deadline: float
) -> dict[str, Any]:
    """Wait until the PiAlert config entry is loaded; return its JSON."""
    url = f"{base_url}/api/config/config_entries/entry?domain={DOMAIN}"
    seen = "no entry"
    while True:
        status, entries = await request_json(session, "GET", url, token=token)
        entries = expect_ok("listing config entries", status, entries)
        for entry in entries:
            if entry.get("domain") != DOMAIN:
                continue
            if entry.get("state") == "loaded":
                return dict(entry)
            seen = f"state {entry.get('state')!r}, reason {entry.get('reason')!r}"
            if entry.get("state") in FAILED_ENTRY_STATES:
                raise DemoError(f"the PiAlert hub failed to load ({seen})")
        if time.monotonic() > deadline:
            raise DemoError(f"the PiAlert hub is not loaded ({seen})")
        await asyncio.sleep(0.5)


async def after_hub(
    session: aiohttp.ClientSession, base_url: str, token: str
) -> list[str]:
    """Run the demo's steps that need the hub (targets, API key, ...).

    Returns extra lines for the summary. Nothing yet.
    """
    del session, base_url, token
    return []


# ---------------------------------------------------------------------------- main


async def prepare_instance(hass: Hass, base_url: str, deadline: float) -> list[str]:
    """Onboard, add and verify the hub; return the lines to print."""
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        steps = await wait_for_http(session, base_url, hass, deadline)
        say("HTTP API is up")
        token, credentials = await onboard_or_log_in(session, base_url, steps)
        await wait_until_running(session, base_url, token, deadline)
        await ensure_hub(session, base_url, token)
        entry = await verify_hub(session, base_url, token, deadline)
        say(f"PiAlert hub {entry.get('title')!r} is loaded")
        extra = await after_hub(session, base_url, token)
    return [
        f"Open:      {base_url}/",
        f"Username:  {credentials.username}",
        f"Password:  {credentials.password}",
        "Then:      Settings -> Devices & services -> PiAlert",
        *extra,
    ]


async def wait_for_exit(hass: Hass) -> int:
    """Return hass's exit code once it has exited."""
    while True:
        if (code := hass.exit_code()) is not None:
            return code
        await asyncio.sleep(0.5)


async def watch(hass: Hass, base_url: str, start_timeout: float) -> int:
    """Wait while hass runs; start it again when it asks to restart.

    Returns 1 when hass exits by itself; a signal ends this by cancellation.
    """
    while True:
        code = await wait_for_exit(hass)
        if code != RESTART_EXIT_CODE:
            say(f"Home Assistant exited by itself with code {code}; log tail:")
            print(log_tail(), flush=True)
            return 1
        say("Home Assistant asked to restart: starting it again")
        hass.start()
        async with aiohttp.ClientSession() as session:
            await wait_for_http(
                session, base_url, hass, time.monotonic() + start_timeout
            )
        say(f"Home Assistant is back at {base_url}/")


def escalate(signum: int, frame: object) -> None:
    """While stopping hass, a second Ctrl-C or SIGTERM means: kill it now."""
    del signum, frame
    raise KeyboardInterrupt


async def run(args: argparse.Namespace) -> int:
    """Do the whole demo; return the exit code."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    received: list[int] = []

    def on_signal(signum: int) -> None:
        received.append(signum)
        task.cancel()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal, signum)

    port = free_port() if args.port == 0 else args.port
    base_url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    hass = Hass()
    try:
        prepare_config(port, fresh=args.fresh)
        if port_in_use(port):
            raise DemoError(
                f"something already listens on 127.0.0.1:{port}: stop it or use --port"
            )
        if LOG_FILE.exists():  # keep one earlier log, as hass does
            LOG_FILE.replace(LOG_FILE.with_name(LOG_FILE.name + ".1"))
        say(
            f"starting Home Assistant on {base_url} (log: {LOG_FILE.relative_to(ROOT)})"
        )
        hass.start()
        lines = await prepare_instance(hass, base_url, started + args.timeout)
        say(f"ready after {time.monotonic() - started:.1f} s")
        print("\n".join(["", *lines, ""]), flush=True)
        if args.check:
            say("check passed")
            return 0
        say("Home Assistant keeps running; press Ctrl-C to stop it")
        return await watch(hass, base_url, args.timeout)
    except DemoError as err:
        say(f"FAILED: {err}")
        if hass.proc is not None:
            say(f"last lines of {LOG_FILE.relative_to(ROOT)}:")
            print(log_tail(), flush=True)
        return 1
    except asyncio.CancelledError:
        if not received:
            raise
        say(f"got {signal.Signals(received[0]).name}")
        return 1 if args.check else 0
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
            signal.signal(signum, escalate)
        hass.stop()


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="scripts/demo",
        description="Run Home Assistant with the PiAlert integration for a demo.",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"HTTP port on 127.0.0.1 (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="start, verify, stop; exit 0 when everything worked",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="delete .demo/config first (new instance)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=START_TIMEOUT,
        help=f"seconds allowed for start-up and set-up (default {START_TIMEOUT:.0f})",
    )
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 0 and 65535")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return asyncio.run(run(args))
    except KeyboardInterrupt:
        return 1 if args.check else 0


if __name__ == "__main__":
    sys.exit(main())
