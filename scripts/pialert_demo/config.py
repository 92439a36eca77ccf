"""The demo's config dir, its configuration.yaml and the demo user's login."""

from __future__ import annotations

from dataclasses import dataclass
import fcntl
import json
import os
from pathlib import Path
import secrets
import shutil

from scripts.hass_process import (
    ROOT,
    link_integration,
    write_http_settings,
    write_store,
)

from . import DemoError, say
from .failing_entry import link_demo_router

# PIALERT_DEMO_DIR lets several demos run side by side (each with its own port).
DEMO_DIR = Path(os.environ.get("PIALERT_DEMO_DIR") or ROOT / ".demo").resolve()
CONFIG_DIR = DEMO_DIR / "config"
LOG_FILE = DEMO_DIR / "home-assistant.log"
CREDENTIALS_FILE = DEMO_DIR / "credentials.json"
API_KEY_FILE = DEMO_DIR / "api-key"

USERNAME = "demo"
CONFIG_MARKER = "# Written by scripts/demo"

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
  # Labelled "Demo helpers" with the one above: the entity group target's members.
  demo_hall_motion:
    name: Hall motion
    initial: true
  demo_garage_door:
    name: Garage door
    initial: true

logger:
  default: info
  logs:
    custom_components.pialert: debug
"""


@dataclass
class Credentials:
    """The demo user's login."""

    username: str
    password: str


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

    write_http_settings(CONFIG_DIR, port)
    seed_onboarding()
    link_integration(CONFIG_DIR)
    link_demo_router(CONFIG_DIR)


def seed_onboarding() -> None:
    """On a new instance, mark onboarding's core_config step done in its store.

    Finishing that step through the API makes Home Assistant add Met weather,
    Radio Browser, Google Translate and Shopping list, and the first two reach out
    to the internet at once. The demo needs none of them and talks to 127.0.0.1
    only, so it skips the step (the location and units keep their defaults).
    """
    write_store(
        CONFIG_DIR,
        "onboarding",
        {"done": ["core_config"]},
        version=4,
        replace=False,
    )


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


def write_private(path: os.PathLike[str], text: str) -> None:
    """Write ``text`` to a file only its owner may read (mode 0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)  # an existing file keeps its mode through os.open


def new_credentials() -> Credentials:
    """Make a random password for the demo user and save it (mode 0600)."""
    credentials = Credentials(USERNAME, secrets.token_urlsafe(18))
    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    text = json.dumps(
        {"username": credentials.username, "password": credentials.password}, indent=2
    )
    write_private(CREDENTIALS_FILE, text + "\n")
    return credentials
