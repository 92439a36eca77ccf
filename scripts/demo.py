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
  5. run ``after_hub`` and print what to open. It adds demo targets through the
     target subentry flow's REST API (three watch a small site this script serves
     on 127.0.0.1, one of them always failing, one flapping; a heartbeat; an
     entity target on ``input_boolean.demo_server_online``), pings the heartbeat,
     creates a read API key ("Demo key", kept in .demo/api-key) and calls
     ``/api/v1/alert-status`` with it.

Then it keeps Home Assistant (and the demo site) running until Ctrl-C or SIGTERM,
or with ``--check`` waits (at most a minute) for the expected states, stops and
exits 0 when everything worked, 1 otherwise.
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
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from typing import Any

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / ".demo"
CONFIG_DIR = DEMO_DIR / "config"
LOG_FILE = DEMO_DIR / "home-assistant.log"
CREDENTIALS_FILE = DEMO_DIR / "credentials.json"
API_KEY_FILE = DEMO_DIR / "api-key"
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
VERIFY_TIMEOUT = 60.0  # --check: how long the targets get to reach their states
VERIFY_POLL = 2.0
ENTITY_TIMEOUT = 30.0  # for a new target's entities to appear

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

# The entity target "Demo server online" watches this: turn it off to see it go down.
input_boolean:
  demo_server_online:
    name: Demo server online
    initial: true

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
    seed_onboarding()
    link_integration()


def seed_onboarding() -> None:
    """On a new instance, mark onboarding's core_config step done in its store.

    Finishing that step through the API makes Home Assistant add Met weather,
    Radio Browser, Google Translate and Shopping list, and the first two reach out
    to the internet at once. The demo needs none of them and talks to 127.0.0.1
    only, so it skips the step (the location and units keep their defaults).
    """
    path = CONFIG_DIR / ".storage" / "onboarding"
    if path.exists():
        return
    payload = {
        "version": 4,
        "minor_version": 1,
        "key": "onboarding",
        "data": {"done": ["core_config"]},
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2)
        handle.write("\n")


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
    headers: Mapping[str, str] | None = None,
) -> tuple[int, Any]:
    """Send a request; return the status and the decoded JSON (or text) body."""
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
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


# ---------------------------------------------------------------------- demo site


class DemoSite:
    """A small website on 127.0.0.1 for the HTTP targets to watch.

    ``/`` and ``/api/health`` answer 200, ``/broken`` 503, and ``/flaky``
    alternates 200 and 500. It runs in this script's event loop, for as long as
    the demo does.
    """

    def __init__(self) -> None:
        """Nothing is served yet."""
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._flaky_requests = 0

    async def start(self) -> str:
        """Serve on a free port of 127.0.0.1; return the site's base URL."""
        app = web.Application()
        app.router.add_get("/", self._home)
        app.router.add_get("/api/health", self._health)
        app.router.add_get("/broken", self._broken)
        app.router.add_get("/flaky", self._flaky)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        self._runner = runner
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    @staticmethod
    async def _home(request: web.Request) -> web.Response:
        return web.Response(text="PiAlert demo OK")

    @staticmethod
    async def _health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    @staticmethod
    async def _broken(request: web.Request) -> web.Response:
        return web.Response(status=503, text="Service Unavailable (on purpose)\n")

    async def _flaky(self, request: web.Request) -> web.Response:
        self._flaky_requests += 1
        if self._flaky_requests % 2:
            return web.Response(text="OK this time\n")
        return web.Response(status=500, text="Failed this time\n")


# ------------------------------------------------------------------------ targets


SUBENTRY_TYPE = "target"
HTTP_COMMON = {"interval": 10, "timeout": 5}  # 10 s: the shortest interval allowed
DEMO_ENTITY = "input_boolean.demo_server_online"
HEARTBEAT_TARGET = "Nightly backup"
API_KEY_NAME = "Demo key"


@dataclass(frozen=True)
class TargetSpec:
    """A demo target: its name, kind and the form's fields (except the name)."""

    name: str
    kind: str
    fields: dict[str, Any]

    @property
    def status_entity(self) -> str:
        """Return the entity id of the target's status sensor."""
        return f"sensor.{slug(self.name)}_status"


def slug(name: str) -> str:
    """Return ``name`` the way Home Assistant makes it part of an entity id."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def demo_targets(site_url: str) -> list[TargetSpec]:
    """Return the demo's targets; the HTTP ones watch ``site_url``."""
    return [
        TargetSpec(
            "Demo website",
            "http",
            {"url": f"{site_url}/", "keyword": "OK"} | HTTP_COMMON,
        ),
        TargetSpec("Demo API", "http", {"url": f"{site_url}/api/health"} | HTTP_COMMON),
        TargetSpec(
            "Broken service",
            "http",
            {"url": f"{site_url}/broken", "failure_threshold": 2} | HTTP_COMMON,
        ),
        TargetSpec(
            "Flaky service",
            "http",
            {"url": f"{site_url}/flaky", "failure_threshold": 2, "success_threshold": 1}
            | HTTP_COMMON,
        ),
        TargetSpec(HEARTBEAT_TARGET, "heartbeat", {"period": 60, "grace": 10}),
        TargetSpec(
            "Demo server online",
            "entity",
            {
                "entity_id": DEMO_ENTITY,
                "condition": "equals",
                "value": "off",
                "failure_threshold": 1,
            },
        ),
    ]


async def list_targets(
    session: aiohttp.ClientSession, base_url: str, token: str, entry_id: str
) -> dict[str, str]:
    """Return the hub's targets as {name folded: subentry id}.

    Subentries are listed over the WebSocket API only (no REST view).
    """
    async with session.ws_connect(f"{base_url}/api/websocket") as ws:
        message = await ws.receive_json()
        if message.get("type") != "auth_required":
            raise DemoError(f"WebSocket API: unexpected greeting {message}")
        await ws.send_json({"type": "auth", "access_token": token})
        message = await ws.receive_json()
        if message.get("type") != "auth_ok":
            raise DemoError(f"WebSocket API: authentication failed: {message}")
        await ws.send_json(
            {"id": 1, "type": "config_entries/subentries/list", "entry_id": entry_id}
        )
        message = await ws.receive_json()
    if not message.get("success"):
        raise DemoError(f"listing the hub's targets failed: {message.get('error')}")
    return {
        str(sub["title"]).casefold(): str(sub["subentry_id"])
        for sub in message["result"]
        if sub.get("subentry_type") == SUBENTRY_TYPE
    }


async def target_flow(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    entry_id: str,
    spec: TargetSpec,
    subentry_id: str | None = None,
) -> str:
    """Add a target, or reconfigure one, through the subentry flow's REST API.

    Returns what happened: "added", "updated" or "unchanged".
    """
    flows = f"{base_url}/api/config/config_entries/subentries/flow"
    what = f"{'reconfiguring' if subentry_id else 'adding'} target {spec.name!r}"
    body: dict[str, Any] = {"handler": [entry_id, SUBENTRY_TYPE]}
    if subentry_id is not None:
        body["subentry_id"] = subentry_id  # makes it a reconfigure flow
    status, result = await request_json(
        session, "POST", flows, token=token, json_body=body
    )
    result = expect_ok(what, status, result)
    flow_url = f"{flows}/{result.get('flow_id')}"
    if result.get("type") == "menu":  # the user step: pick the kind
        status, result = await request_json(
            session,
            "POST",
            flow_url,
            token=token,
            json_body={"next_step_id": spec.kind},
        )
        result = expect_ok(f"{what}: choosing {spec.kind!r}", status, result)
    if result.get("type") != "form":
        raise DemoError(f"{what}: expected a form, got {result}")
    schema = {field["name"]: field for field in result.get("data_schema") or []}
    if subentry_id is not None:
        missing = set(spec.fields) - set(schema)
        if missing:  # the same name, but another kind of target
            await request_json(session, "DELETE", flow_url, token=token)
            raise DemoError(
                f"{what}: the existing target has no field {', '.join(sorted(missing))}"
                f" (not a {spec.kind} target?): rename or delete it, or use --fresh"
            )
        current = {
            name: (field.get("description") or {}).get("suggested_value")
            for name, field in schema.items()
        }
        if all(current.get(key) == value for key, value in spec.fields.items()):
            await request_json(session, "DELETE", flow_url, token=token)
            return "unchanged"
    status, result = await request_json(
        session,
        "POST",
        flow_url,
        token=token,
        json_body={"name": spec.name, **spec.fields},
    )
    result = expect_ok(what, status, result)
    kind, reason = result.get("type"), result.get("reason")
    if subentry_id is None and kind == "create_entry":
        return "added"
    if (
        subentry_id is not None
        and kind == "abort"
        and reason == "reconfigure_successful"
    ):
        return "updated"
    if kind == "form":
        await request_json(session, "DELETE", flow_url, token=token)
        raise DemoError(f"{what}: the form refused it: {result.get('errors')}")
    raise DemoError(f"{what}: the flow ended unexpectedly: {result}")


async def ensure_targets(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    entry_id: str,
    specs: list[TargetSpec],
) -> tuple[list[str], list[TargetSpec]]:
    """Add the targets that are missing; point existing HTTP ones at the site.

    Returns a line per target saying what was done, and the targets changed.
    """
    existing = await list_targets(session, base_url, token, entry_id)
    report = []
    updated = []
    for spec in specs:
        subentry_id = existing.get(spec.name.casefold())
        if subentry_id is None:
            outcome = await target_flow(session, base_url, token, entry_id, spec)
        elif spec.kind == "http":  # the site's port changes from run to run
            outcome = await target_flow(
                session, base_url, token, entry_id, spec, subentry_id
            )
            if outcome == "updated":
                outcome = "URL updated"
                updated.append(spec)
        else:
            outcome = "exists"
        detail = spec.fields.get("url") or spec.fields.get("entity_id") or ""
        say(f"target {spec.name!r} ({spec.kind}): {outcome}")
        report.append(
            f"{spec.name} ({spec.kind}{', ' + detail if detail else ''}): {outcome}"
        )
    return report, updated


async def check_now(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    specs: list[TargetSpec],
) -> None:
    """Check these targets at once (pialert.check_now) and say how they are.

    A changed target starts over as "not checked yet" and would otherwise wait
    for its next scheduled check.
    """
    response = await call_service(
        session,
        base_url,
        token,
        "check_now",
        {"entity_id": [spec.status_entity for spec in specs]},
        response=True,
    )
    results = response.get("results") or {}
    say(
        "checked now: "
        + ", ".join(
            f"{name} {result.get('status')}" for name, result in sorted(results.items())
        )
    )


async def read_states(
    session: aiohttp.ClientSession, base_url: str, token: str
) -> dict[str, dict[str, Any]]:
    """Return every entity's state object by entity id."""
    status, states = await request_json(
        session, "GET", f"{base_url}/api/states", token=token
    )
    states = expect_ok("reading the states", status, states)
    return {str(state["entity_id"]): state for state in states}


async def wait_for_entities(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    specs: list[TargetSpec],
) -> dict[str, dict[str, Any]]:
    """Wait until every target's status sensor exists; return the states."""
    deadline = time.monotonic() + ENTITY_TIMEOUT
    while True:
        states = await read_states(session, base_url, token)
        missing = [s.status_entity for s in specs if s.status_entity not in states]
        if not missing:
            return states
        if time.monotonic() > deadline:
            raise DemoError(f"these entities did not appear: {', '.join(missing)}")
        await asyncio.sleep(0.5)


# ------------------------------------------------------------------ ping and key


async def ping_heartbeat(
    session: aiohttp.ClientSession,
    base_url: str,
    states: Mapping[str, Mapping[str, Any]],
    spec: TargetSpec,
) -> str:
    """Ping the heartbeat target once (success); return its ping URL."""
    attributes = states[spec.status_entity].get("attributes") or {}
    path = attributes.get("ping_url")
    if not isinstance(path, str) or not path.startswith("/"):
        raise DemoError(f"{spec.status_entity} has no ping_url attribute")
    url = f"{base_url}{path}"
    status, body = await request_json(session, "GET", url)
    body = expect_ok(f"pinging the heartbeat {spec.name!r}", status, body)
    if not isinstance(body, dict) or body.get("ok") is not True:
        raise DemoError(f"pinging the heartbeat {spec.name!r}: unexpected {body}")
    say(f"pinged heartbeat {spec.name!r}: {json.dumps(body)}")
    return url


async def call_service(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    service: str,
    data: Mapping[str, Any],
    *,
    response: bool = False,
) -> Any:
    """Call a pialert action over REST; return its response when asked for one."""
    url = f"{base_url}/api/services/{DOMAIN}/{service}"
    if response:
        url += "?return_response"
    status, body = await request_json(
        session, "POST", url, token=token, json_body=dict(data)
    )
    body = expect_ok(f"action {DOMAIN}.{service}", status, body)
    if response:
        if not isinstance(body, dict) or not isinstance(
            body.get("service_response"), dict
        ):
            raise DemoError(f"action {DOMAIN}.{service}: no response in {body}")
        return body["service_response"]
    return body


async def new_api_key(session: aiohttp.ClientSession, base_url: str, token: str) -> str:
    """Replace the demo's read key; save it to .demo/api-key; return it."""
    listing = await call_service(
        session, base_url, token, "list_api_keys", {}, response=True
    )
    names = [str(key.get("name")) for key in listing.get("keys", [])]
    if any(name.casefold() == API_KEY_NAME.casefold() for name in names):
        await call_service(
            session, base_url, token, "delete_api_key", {"key_id": API_KEY_NAME}
        )
        say(f"deleted the earlier API key {API_KEY_NAME!r}")
    created = await call_service(
        session,
        base_url,
        token,
        "create_api_key",
        {"name": API_KEY_NAME, "scope": "read"},
        response=True,
    )
    key = created.get("key")
    if not isinstance(key, str) or not key:
        raise DemoError(f"{DOMAIN}.create_api_key returned no key: {created}")
    fd = os.open(API_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    API_KEY_FILE.chmod(0o600)
    say(
        f"created API key {API_KEY_NAME!r} (read), saved to "
        f"{API_KEY_FILE.relative_to(ROOT)}"
    )
    return key


async def alert_status(
    session: aiohttp.ClientSession, base_url: str, api_key: str | None
) -> tuple[int, Any]:
    """GET /api/v1/alert-status, with the key when given (never HA's token)."""
    headers = {"x-api-key": api_key} if api_key else {}
    return await request_json(
        session, "GET", f"{base_url}/api/v1/alert-status", headers=headers
    )


# -------------------------------------------------------------------- --check


async def verify_demo(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    api_key: str,
    specs: list[TargetSpec],
) -> list[str]:
    """Check that the demo shows what it should; return what was verified."""
    verified = []
    status, body = await alert_status(session, base_url, None)
    wanted = {"detail": "Missing API key in x-api-key header"}
    if status != 401 or body != wanted:
        raise DemoError(
            f"alert-status without a key: expected 401 {wanted}, got {status} {body}"
        )
    verified.append("alert-status without a key: 401 " + json.dumps(body))

    by_name = {spec.name: spec.status_entity for spec in specs}
    expected = {"Demo website": "up", "Demo API": "up", "Broken service": "down"}
    started = time.monotonic()
    deadline = started + VERIFY_TIMEOUT
    while True:
        states = await read_states(session, base_url, token)
        current = {
            name: states.get(entity, {}).get("state")
            for name, entity in by_name.items()
        }
        status, body = await alert_status(session, base_url, api_key)
        problems = [
            f"{by_name[name]} does not exist"
            for name, state in current.items()
            if state is None
        ]
        problems += [
            f"{name} is {current[name]!r}, not {state!r}"
            for name, state in expected.items()
            if current[name] is not None and current[name] != state
        ]
        if status != 200 or not isinstance(body, dict):
            problems.append(f"alert-status answered {status}: {body}")
        else:
            failing = {
                f.get("name"): f.get("status") for f in body.get("failing_targets", [])
            }
            if failing.get("Broken service") != "down":
                problems.append(
                    "alert-status does not list Broken service as down "
                    f"(failing_targets: {body.get('failing_targets')})"
                )
            if body.get("alert") is not True:
                problems.append(f"alert-status says alert={body.get('alert')!r}")
        if not problems:
            break
        if time.monotonic() > deadline:
            raise DemoError(f"after {VERIFY_TIMEOUT:.0f} s: " + "; ".join(problems))
        await asyncio.sleep(VERIFY_POLL)
    waited = time.monotonic() - started
    verified += [
        f"all {len(specs)} targets have status sensors: "
        + ", ".join(f"{by_name[n]}={s}" for n, s in current.items()),
        f"Demo website and Demo API are up, Broken service is down (after {waited:.0f} s)",
        "alert-status with the key: alert=true, failing_targets "
        + json.dumps(body.get("failing_targets")),
    ]
    for line in verified:
        say(f"verified: {line}")
    return verified


# --------------------------------------------------------------------- after hub


async def after_hub(
    session: aiohttp.ClientSession,
    base_url: str,
    token: str,
    *,
    entry_id: str,
    site_url: str,
    check: bool = False,
) -> list[str]:
    """Run the demo's steps that need the hub; return lines for the summary.

    Adds the demo targets (or points existing HTTP ones at this run's site),
    pings the heartbeat, makes a fresh read API key, calls alert-status with it
    and, with ``check``, verifies the states the targets should reach.
    """
    specs = demo_targets(site_url)
    report, updated = await ensure_targets(session, base_url, token, entry_id, specs)
    states = await wait_for_entities(session, base_url, token, specs)
    if updated:
        await check_now(session, base_url, token, updated)
    heartbeat = next(spec for spec in specs if spec.name == HEARTBEAT_TARGET)
    ping_url = await ping_heartbeat(session, base_url, states, heartbeat)

    api_key = await new_api_key(session, base_url, token)
    curl = f'curl -H "x-api-key: {api_key}" {base_url}/api/v1/alert-status'
    status, body = await alert_status(session, base_url, api_key)
    body = expect_ok("alert-status with the new key", status, body)
    say(f"$ {curl}")
    say(json.dumps(body))

    lines = [
        "",
        f"Demo site: {site_url}/  (also /api/health, /broken = 503, /flaky = 200/500)",
        "Targets:",
        *(f"  {line}" for line in report),
        "Heartbeat: ping it (it goes down 70 s after the last ping):",
        f"  curl {ping_url}",
        f"API key:   {api_key}  (read; also in {API_KEY_FILE.relative_to(ROOT)})",
        f"  {curl}",
        f"  -> {json.dumps(body)}",
        f"Try:       toggle {DEMO_ENTITY} to see the entity target go down",
    ]
    if check:
        verified = await verify_demo(session, base_url, token, api_key, specs)
        lines += ["Verified:", *(f"  {line}" for line in verified)]
    return lines


# ---------------------------------------------------------------------------- main


async def prepare_instance(
    hass: Hass, base_url: str, deadline: float, *, site_url: str, check: bool
) -> list[str]:
    """Onboard, add and verify the hub, run after_hub; return the lines to print."""
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        steps = await wait_for_http(session, base_url, hass, deadline)
        say("HTTP API is up")
        token, credentials = await onboard_or_log_in(session, base_url, steps)
        await wait_until_running(session, base_url, token, deadline)
        await ensure_hub(session, base_url, token)
        entry = await verify_hub(session, base_url, token, deadline)
        say(f"PiAlert hub {entry.get('title')!r} is loaded")
        extra = await after_hub(
            session,
            base_url,
            token,
            entry_id=str(entry["entry_id"]),
            site_url=site_url,
            check=check,
        )
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
    site = DemoSite()
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
        site_url = await site.start()
        say(f"demo site on {site_url}/")
        hass.start()
        lines = await prepare_instance(
            hass, base_url, started + args.timeout, site_url=site_url, check=args.check
        )
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
        while task.uncancel():  # handled: let the clean-up below await normally
            pass
        return 1 if args.check else 0
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
            signal.signal(signum, escalate)
        hass.stop()
        await site.stop()


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
