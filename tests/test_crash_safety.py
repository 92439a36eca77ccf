"""A crash (SIGKILL) right after users act loses none of their actions.

A real Home Assistant process (benchmarks/_hass.py starts it, in a temporary
config dir) gets an acknowledgement and a silence through PiAlert's REST API,
is killed with SIGKILL about a second later, and is started again: both are
still there, the incident keeps its id and the API key still works.
"""

from __future__ import annotations

from collections.abc import Generator
import json
import time
from typing import Any
import urllib.error
import urllib.request

import pytest

from benchmarks._hass import HassInstance, hub_entry

TOKEN = "crash-token_0123456789abcdefghijklmnopqrstuvwxyzAB"
JOB = {
    "kind": "heartbeat",
    "name": "Nightly backup",
    "period": 3600,
    "grace": 300,
    "token": TOKEN,
    "failure_threshold": 1,
    "success_threshold": 1,
    "enabled": True,
    "interval": 60,
    "timeout": 10.0,
}
START_TIMEOUT = 240.0

pytestmark = pytest.mark.usefixtures("socket_enabled")
PREFIX = "/api/pialert/v1"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No in-process Home Assistant here (overrides tests/conftest.py)."""


@pytest.fixture
def instance() -> Generator[HassInstance]:
    """A Home Assistant process with a PiAlert hub watching one heartbeat."""
    hass = HassInstance(
        "crash",
        entry=hub_entry([JOB]),
        probe={"api_key": {"name": "Crash test", "scope": "write"}},
    )
    try:
        yield hass
    finally:
        hass.cleanup()


def call(
    instance: HassInstance, method: str, path: str, key: str, body: Any = None
) -> Any:
    """Send a request to the API and return its JSON body (2xx only)."""
    request = urllib.request.Request(
        instance.base_url + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"x-api-key": key, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as err:
        pytest.fail(f"{method} {path}: {err.code} {err.read()!r}")


# Two Home Assistant starts: about 20 s here, bounded by the timeout.
@pytest.mark.timeout(400)
def test_user_actions_survive_sigkill(instance: HassInstance) -> None:
    """Acknowledge and silence, kill -9 a second later, restart: both are kept."""
    instance.start()
    key = instance.wait_ready(START_TIMEOUT)["api_key"]
    assert key

    call(instance, "POST", f"/api/pialert/v1/heartbeat/{TOKEN}/fail", key)
    (target,) = call(instance, "GET", f"{PREFIX}/targets", key)["targets"]
    assert target["status"] == "down"
    (incident,) = call(instance, "GET", f"{PREFIX}/incidents", key)["incidents"]
    acknowledged = call(
        instance,
        "POST",
        f"{PREFIX}/targets/{target['id']}/acknowledge",
        key,
        {"note": "restoring from backup"},
    )
    assert acknowledged["acknowledged"]["note"] == "restoring from backup"
    silence = call(
        instance,
        "POST",
        f"{PREFIX}/silences",
        key,
        {"all": True, "duration_seconds": 3600, "comment": "maintenance"},
    )

    # Well within the 30 s debounce of check results.
    time.sleep(1)
    instance.kill()

    # Start again, without making another key: the first one must still work.
    instance.write_config()
    instance.start()
    instance.wait_ready(START_TIMEOUT)

    (after,) = call(instance, "GET", f"{PREFIX}/targets", key)["targets"]
    assert after["status"] == "down"
    assert after["acknowledged"]["note"] == "restoring from backup"
    (kept,) = call(instance, "GET", f"{PREFIX}/incidents", key)["incidents"]
    assert kept["id"] == incident["id"]
    silences = call(instance, "GET", f"{PREFIX}/silences", key)["silences"]
    assert [s["id"] for s in silences] == [silence["id"]]
    assert silences[0]["comment"] == "maintenance"
