"""The contract's client examples, run for real against PiAlert's live views.

Each example is kept verbatim as the contract prints it (a test checks that
against the contract when it is at hand); only the host, the port and the key
are changed before it runs.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
import json
import os
from pathlib import Path
import re
import shutil
import sys
from typing import Any
import uuid

from aiohttp.test_utils import TestClient
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.template import Template
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.yaml import parse_yaml
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.pialert.const import DOMAIN
from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.engine.models import CheckResult

from .platform_helpers import mock_hub_entry, setup_loaded

CONTRACT = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "reference"
    / "001_adefeec66394a560.txt"
)

# --- the contract's examples, verbatim -----------------------------------------

CONTRACT_CURL = r"""curl -H "x-api-key: your-api-key-here" \
  http://localhost:8000/api/v1/alert-status
"""

CONTRACT_RELAY_PY = r"""#!/usr/bin/env python3
import requests
import RPi.GPIO as GPIO
import time

RELAY_PIN = 17  # GPIO pin number
API_URL = "http://your-server:8000/api/v1/alert-status"
API_KEY = "your-api-key-here"
POLL_INTERVAL = 30  # seconds

GPIO.setmode(GPIO.BCM)
GPIO.setup(RELAY_PIN, GPIO.OUT)

while True:
    try:
        response = requests.get(
            API_URL,
            headers={"x-api-key": API_KEY},
            timeout=5
        )

        if response.status_code == 200:
            data = response.json()

            if data["alert"]:
                GPIO.output(RELAY_PIN, GPIO.HIGH)  # Turn ON
                print(f"ALERT: {data['failing_count']} targets down")
            else:
                GPIO.output(RELAY_PIN, GPIO.LOW)   # Turn OFF
                print("All systems operational")
    except Exception as e:
        print(f"Error: {e}")

    time.sleep(POLL_INTERVAL)
"""

CONTRACT_HA_YAML = r"""# configuration.yaml
rest:
  - resource: "http://your-server:8000/api/v1/alert-status"
    headers:
      x-api-key: "your-api-key-here"
    scan_interval: 30
    sensor:
      - name: "PiAlert Status"
        value_template: "{{ 'Alert' if value_json.alert else 'OK' }}"
        json_attributes:
          - failing_count
          - failing_targets
          - timestamp

binary_sensor:
  - platform: template
    sensors:
      pialert_alert:
        friendly_name: "PiAlert Alert"
        value_template: "{{ state_attr('sensor.pialert_status', 'alert') }}"
        device_class: problem
"""

CONTRACT_NODE_RED_REQUEST = r"""{
  "method": "GET",
  "url": "http://your-server:8000/api/v1/alert-status",
  "headers": {
    "x-api-key": "your-api-key-here"
  }
}
"""

CONTRACT_NODE_RED_FUNCTION = r"""if (msg.payload.alert) {
    msg.payload = {
        text: `⚠️ ${msg.payload.failing_count} targets are down!`,
        targets: msg.payload.failing_targets
    };
    return msg;
}
return null; // No alert
"""

CONTRACT_DISCORD_PY = r"""import requests
import time

PIALERT_URL = "http://your-server:8000/api/v1/alert-status"
PIALERT_API_KEY = "your-api-key-here"
DISCORD_WEBHOOK = "https://discord.com/api/webhooks/..."

last_alert_state = False

while True:
    response = requests.get(
        PIALERT_URL,
        headers={"x-api-key": PIALERT_API_KEY}
    )

    if response.status_code == 200:
        data = response.json()

        # Alert state changed
        if data["alert"] != last_alert_state:
            if data["alert"]:
                targets = "\n".join([
                    f"- {t['name']} ({t['failures']}/{t['threshold']} failures)"
                    for t in data["failing_targets"]
                ])
                message = f"🚨 **Alert!** {data['failing_count']} targets are down:\n{targets}"
            else:
                message = "✅ All systems recovered!"

            # Send to Discord
            requests.post(DISCORD_WEBHOOK, json={"content": message})

            last_alert_state = data["alert"]

    time.sleep(30)
"""

CONTRACT_BASH = r"""#!/bin/bash

API_URL="http://your-server:8000/api/v1/alert-status"
API_KEY="your-api-key-here"

response=$(curl -s -H "x-api-key: $API_KEY" "$API_URL")
alert=$(echo "$response" | jq -r '.alert')
count=$(echo "$response" | jq -r '.failing_count')

if [ "$alert" = "true" ]; then
    echo "ALERT: $count targets are down"
    echo "$response" | jq -r '.failing_targets[] | "- \(.name): \(.failures)/\(.threshold) failures"'
    exit 1
else
    echo "OK: All systems operational"
    exit 0
fi
"""

CONTRACT_IFTTT_PY = r"""import requests

PIALERT_URL = "http://your-server:8000/api/v1/alert-status"
PIALERT_API_KEY = "your-api-key-here"
IFTTT_WEBHOOK = "https://maker.ifttt.com/trigger/{event}/with/key/{key}"

response = requests.get(
    PIALERT_URL,
    headers={"x-api-key": PIALERT_API_KEY}
)

if response.status_code == 200:
    data = response.json()

    if data["alert"]:
        requests.post(IFTTT_WEBHOOK, json={
            "value1": data["failing_count"],
            "value2": ", ".join([t["name"] for t in data["failing_targets"]]),
            "value3": data["timestamp"]
        })
"""

# --- what the README offers instead of the legacy template block ---------------

# The contract's `binary_sensor: - platform: template` block creates no entity on
# Home Assistant 2026.10 (the legacy template platform only raises a repair
# issue), and its template reads an attribute the REST sensor never has. This
# keeps the contract's sensor and adds a binary sensor to the same resource.
README_REST_BINARY_SENSOR_YAML = """\
rest:
  - resource: "http://homeassistant.local:8123/api/v1/alert-status"
    headers:
      x-api-key: "your-api-key-here"
    scan_interval: 30
    sensor:
      - name: "PiAlert Status"
        value_template: "{{ 'Alert' if value_json.alert else 'OK' }}"
        json_attributes:
          - failing_count
          - failing_targets
          - timestamp
    binary_sensor:
      - name: "PiAlert Alert"
        value_template: "{{ value_json.alert }}"
        device_class: problem
"""
README = Path(__file__).resolve().parents[1] / "README.md"

# --- helpers -----------------------------------------------------------------------

# Runs a contract script once: time.sleep ends the run (after the first poll),
# webhook posts are recorded instead of sent; requests.get is the real one.
RUNNER_PY = """\
import json
import os
import runpy
import sys
import time

import requests

RECORD = os.environ["PIALERT_TEST_RECORD"]


def record(kind, **data):
    with open(RECORD, "a", encoding="utf-8") as file:
        file.write(json.dumps({"kind": kind, **data}) + "\\n")


def sleep(seconds):
    record("sleep", seconds=seconds)
    raise SystemExit(0)


class Posted:
    status_code = 204


def post(url, json=None, **kwargs):
    record("post", url=url, json=json)
    return Posted()


time.sleep = sleep
requests.post = post
runpy.run_path(sys.argv[1], run_name="__main__")
"""

# Stands in for RPi.GPIO: records the calls the relay script makes.
FAKE_GPIO_PY = """\
import json
import os

BCM = "BCM"
OUT = "OUT"
HIGH = 1
LOW = 0


def _record(call, *args):
    with open(os.environ["PIALERT_TEST_RECORD"], "a", encoding="utf-8") as file:
        file.write(json.dumps({"kind": "gpio", "call": call, "args": list(args)}) + "\\n")


def setmode(mode):
    _record("setmode", mode)


def setup(pin, mode):
    _record("setup", pin, mode)


def output(pin, value):
    _record("output", pin, value)
"""

# The Node-RED flow: the HTTP request node (its settings as the contract gives
# them) feeds the function node (its body as the contract gives it).
NODE_RED_JS = """\
const request = JSON.parse(process.argv[2]);
const functionNode = new Function("msg", process.argv[3]);
(async () => {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
  });
  const msg = { payload: await response.json() };
  console.log(JSON.stringify(functionNode(msg) ?? null));
})();
"""

SUBPROCESS_TIMEOUT = 30
STATUS_URL = "/api/v1/alert-status"


def heartbeat(target_id: str, name: str) -> dict[str, Any]:
    """A heartbeat target with threshold 3: fed by hand, never polled."""
    return {
        "id": target_id,
        "kind": "heartbeat",
        "name": name,
        "period": 3600,
        "grace": 60,
        "token": f"token-{target_id}-0123456789abcdef",
        "failure_threshold": 3,
    }


@dataclass
class Server:
    """A loaded hub served on a loopback port, with a key for the examples."""

    hass: HomeAssistant
    entry: MockConfigEntry
    client: TestClient
    key: str

    @property
    def coordinator(self) -> PiAlertCoordinator:
        """The hub's coordinator."""
        return self.entry.runtime_data.coordinator  # type: ignore[no-any-return]

    @property
    def base(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.client.port}"

    def localize(self, example: str) -> str:
        """Point an example at this server: host, port and key only."""
        localized = example
        for placeholder in (
            "http://your-server:8000",
            "http://localhost:8000",
            "http://homeassistant.local:8123",
        ):
            localized = localized.replace(placeholder, self.base)
        localized = localized.replace("your-api-key-here", self.key)
        assert localized != example
        assert "your-server" not in localized
        assert "your-api-key-here" not in localized
        return localized

    async def alert(self) -> None:
        """Take two targets down: Database 4/3, Production Server 5/3."""
        for target_id, failures in (("prod", 5), ("db", 4)):
            for _ in range(failures):
                self.coordinator.async_record(
                    target_id,
                    CheckResult(
                        success=False, checked_at=dt_util.utcnow(), error="boom"
                    ),
                )
        await self.hass.async_block_till_done()

    async def recover(self) -> None:
        """Bring both targets back up."""
        for target_id in ("prod", "db"):
            self.coordinator.async_record(
                target_id, CheckResult(success=True, checked_at=dt_util.utcnow())
            )
        await self.hass.async_block_till_done()

    async def status(self) -> dict[str, Any]:
        """The alert status as the API gives it now."""
        response = await self.client.get(STATUS_URL, headers={"x-api-key": self.key})
        assert response.status == 200
        return dict(await response.json())


async def start_server(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> Server:
    """Load a hub with two targets, serve it on 127.0.0.1, make a read key."""
    entry = await setup_loaded(
        hass,
        mock_hub_entry(
            heartbeat("prod", "Production Server"), heartbeat("db", "Database")
        ),
    )
    created = await hass.services.async_call(
        DOMAIN,
        "create_api_key",
        {"name": "Examples"},
        blocking=True,
        return_response=True,
    )
    assert created is not None
    client = await hass_client_no_auth()
    assert client.host == "127.0.0.1"
    return Server(hass, entry, client, str(created["key"]))


@pytest.fixture
async def server(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> Server:
    """A hub with two targets, listening on 127.0.0.1, and a read key."""
    require_rest_requirements()
    return await start_server(hass, hass_client_no_auth)


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for example scripts: no proxy between them and loopback."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name.lower() not in {"http_proxy", "https_proxy", "all_proxy"}
    }
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.update(extra)
    return env


async def run(*command: str, env: dict[str, str]) -> tuple[int, str, str]:
    """Run a command while the loop keeps serving; return code, stdout, stderr."""
    process = await asyncio.create_subprocess_exec(
        *command,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(
            process.communicate(), SUBPROCESS_TIMEOUT
        )
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


def read_records(path: Path) -> list[dict[str, Any]]:
    """The calls a script run recorded."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


async def refresh(hass: HomeAssistant, seconds: float) -> None:
    """Let the REST integration poll again (its scan_interval is 30 s)."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
    await hass.async_block_till_done(wait_background_tasks=True)


def require_rest_requirements() -> None:
    """Skip when the rest integration's requirements are not installed."""
    for module in ("jsonpath", "xmltodict"):
        pytest.importorskip(
            module, reason="the rest integration's requirements: run scripts/setup"
        )


def require(*programs: str) -> None:
    """Skip when a program the example needs is not installed."""
    missing = [program for program in programs if shutil.which(program) is None]
    if missing:
        pytest.skip(f"the contract's example needs {', '.join(missing)} on PATH")


# --- the contract text --------------------------------------------------------------


def test_examples_are_the_contracts_verbatim() -> None:
    """The examples above are the contract's code blocks, character for character."""
    if not CONTRACT.is_file():
        pytest.skip(f"the contract is not at {CONTRACT}")
    blocks = [
        body
        for _lang, body in re.findall(
            r"```(\w*)\n(.*?)```", CONTRACT.read_text("utf-8"), re.S
        )
    ]
    for example in (
        CONTRACT_CURL,
        CONTRACT_RELAY_PY,
        CONTRACT_HA_YAML,
        CONTRACT_NODE_RED_REQUEST,
        CONTRACT_NODE_RED_FUNCTION,
        CONTRACT_DISCORD_PY,
        CONTRACT_BASH,
        CONTRACT_IFTTT_PY,
    ):
        assert example in blocks


def test_readme_quotes_the_tested_yaml() -> None:
    """The README shows exactly the replacement YAML tested here."""
    if not README.is_file():
        pytest.skip("no README.md")
    assert README_REST_BINARY_SENSOR_YAML in README.read_text("utf-8")


# --- fields the examples read ---------------------------------------------------------


async def test_fields_the_examples_read(server: Server) -> None:
    """Node-RED, Discord and IFTTT read these fields, with these types."""
    for alerting in (False, True):
        if alerting:
            await server.alert()
        body = await server.status()
        assert isinstance(body["alert"], bool)
        assert body["alert"] is alerting
        assert type(body["failing_count"]) is int
        assert body["failing_count"] == len(body["failing_targets"])
        assert isinstance(body["failing_targets"], list)
        for target in body["failing_targets"]:
            assert isinstance(target["name"], str)
            assert target["status"] == "down"
            assert type(target["failures"]) is int
            assert type(target["threshold"]) is int
        assert isinstance(body["timestamp"], str)
        assert datetime.fromisoformat(body["timestamp"]).utcoffset() == timedelta(0)

    # The Discord and IFTTT scripts build their messages like this.
    targets = "\n".join(
        [
            f"- {t['name']} ({t['failures']}/{t['threshold']} failures)"
            for t in body["failing_targets"]
        ]
    )
    assert targets == ("- Database (4/3 failures)\n- Production Server (5/3 failures)")
    assert ", ".join([t["name"] for t in body["failing_targets"]]) == (
        "Database, Production Server"
    )


# --- Home Assistant --------------------------------------------------------------------


async def test_home_assistant_rest_sensor(server: Server) -> None:
    """The contract's `rest:` block works unchanged but for host, port and key."""
    hass = server.hass
    config = parse_yaml(server.localize(CONTRACT_HA_YAML))
    assert await async_setup_component(hass, "rest", {"rest": config["rest"]})
    await hass.async_block_till_done()

    state = hass.states.get("sensor.pialert_status")
    assert state is not None
    assert state.state == "OK"
    assert state.attributes["friendly_name"] == "PiAlert Status"
    assert state.attributes["failing_count"] == 0
    assert state.attributes["failing_targets"] == []
    datetime.fromisoformat(state.attributes["timestamp"])

    await server.alert()
    await refresh(hass, 31)
    state = hass.states.get("sensor.pialert_status")
    assert state is not None
    assert state.state == "Alert"
    assert state.attributes["failing_count"] == 2
    assert state.attributes["failing_targets"] == [
        {"name": "Database", "status": "down", "failures": 4, "threshold": 3},
        {"name": "Production Server", "status": "down", "failures": 5, "threshold": 3},
    ]
    datetime.fromisoformat(state.attributes["timestamp"])

    await server.recover()
    await refresh(hass, 62)
    state = hass.states.get("sensor.pialert_status")
    assert state is not None
    assert state.state == "OK"
    assert state.attributes["failing_count"] == 0


async def test_home_assistant_legacy_template_block_makes_no_entity(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """The contract's `binary_sensor: - platform: template` does nothing on 2026.10."""
    require_rest_requirements()
    # As at start-up: binary_sensor is set up with the YAML before PiAlert loads.
    legacy = parse_yaml(CONTRACT_HA_YAML)["binary_sensor"]
    assert await async_setup_component(hass, "binary_sensor", {"binary_sensor": legacy})
    await hass.async_block_till_done()
    server = await start_server(hass, hass_client_no_auth)
    config = parse_yaml(server.localize(CONTRACT_HA_YAML))
    assert config["binary_sensor"] == legacy
    assert await async_setup_component(hass, "rest", {"rest": config["rest"]})
    await hass.async_block_till_done()
    await server.alert()
    await refresh(hass, 31)

    # No entity: the only binary sensors are PiAlert's own.
    entity_registry = er.async_get(hass)
    ours = {
        entry.entity_id
        for entry in entity_registry.entities.values()
        if entry.platform == DOMAIN and entry.domain == "binary_sensor"
    }
    assert {state.entity_id for state in hass.states.async_all("binary_sensor")} == ours
    assert not [
        e for e in entity_registry.entities.values() if e.platform == "template"
    ]
    # Home Assistant says why, as a repair issue.
    assert ir.async_get(hass).async_get_issue(
        "homeassistant", "platform_integration_no_support_binary_sensor_template"
    )
    # And where it would still load, its template reads an attribute the REST
    # sensor does not have, so it could never turn on.
    sensor = hass.states.get("sensor.pialert_status")
    assert sensor is not None
    assert sensor.state == "Alert"
    assert "alert" not in sensor.attributes
    template = legacy[0]["sensors"]["pialert_alert"]["value_template"]
    assert Template(template, hass).async_render(parse_result=False) == "None"


async def test_readme_rest_binary_sensor(server: Server) -> None:
    """The README's replacement: a binary sensor on the same REST resource."""
    hass = server.hass
    config = parse_yaml(server.localize(README_REST_BINARY_SENSOR_YAML))
    # It is the contract's `rest:` block plus the binary sensor, nothing else.
    contract = parse_yaml(server.localize(CONTRACT_HA_YAML))["rest"]
    assert [
        {k: v for k, v in resource.items() if k != "binary_sensor"}
        for resource in config["rest"]
    ] == contract
    hub_alert = {state.entity_id for state in hass.states.async_all("binary_sensor")}
    assert await async_setup_component(hass, "rest", {"rest": config["rest"]})
    await hass.async_block_till_done()
    added = [
        state
        for state in hass.states.async_all("binary_sensor")
        if state.entity_id not in hub_alert
    ]
    assert len(added) == 1
    entity_id = added[0].entity_id
    assert added[0].attributes["friendly_name"] == "PiAlert Alert"
    assert added[0].attributes["device_class"] == "problem"
    assert added[0].state == STATE_OFF
    assert hass.states.get("sensor.pialert_status").state == "OK"  # type: ignore[union-attr]

    await server.alert()
    await refresh(hass, 31)
    assert hass.states.get(entity_id).state == STATE_ON  # type: ignore[union-attr]
    assert hass.states.get("sensor.pialert_status").state == "Alert"  # type: ignore[union-attr]
    # It agrees with PiAlert's own Alert binary sensor.
    assert hass.states.get("binary_sensor.pialert_alert").state == STATE_ON  # type: ignore[union-attr]

    await server.recover()
    await refresh(hass, 62)
    assert hass.states.get(entity_id).state == STATE_OFF  # type: ignore[union-attr]
    assert hass.states.get("binary_sensor.pialert_alert").state == STATE_OFF  # type: ignore[union-attr]


# --- curl and the bash script ------------------------------------------------------------


async def test_curl_request_example(server: Server) -> None:
    """The contract's curl request returns the alert status."""
    require("bash", "curl")
    code, stdout, stderr = await run(
        "bash", "-c", server.localize(CONTRACT_CURL), env=subprocess_env()
    )
    assert code == 0, stderr
    body = json.loads(stdout)
    assert list(body) == ["alert", "failing_targets", "failing_count", "timestamp"]
    assert body["alert"] is False


async def test_bash_script(server: Server, tmp_path: Path) -> None:
    """The contract's bash + jq script: exit 0 when fine, 1 with the list when not."""
    require("bash", "curl", "jq")
    script = tmp_path / "pialert-check.sh"
    script.write_text(server.localize(CONTRACT_BASH), encoding="utf-8")
    env = subprocess_env()

    code, stdout, stderr = await run("bash", str(script), env=env)
    assert (code, stdout) == (0, "OK: All systems operational\n"), stderr

    await server.alert()
    code, stdout, stderr = await run("bash", str(script), env=env)
    assert code == 1, stderr
    assert stdout.splitlines() == [
        "ALERT: 2 targets are down",
        "- Database: 4/3 failures",
        "- Production Server: 5/3 failures",
    ]

    await server.recover()
    code, stdout, _ = await run("bash", str(script), env=env)
    assert (code, stdout) == (0, "OK: All systems operational\n")


# --- Python clients ----------------------------------------------------------------------


async def run_python_example(
    server: Server, tmp_path: Path, example: str, name: str
) -> tuple[str, list[dict[str, Any]]]:
    """Run a contract Python script once; return its output and what it did."""
    script = tmp_path / f"{name}.py"
    script.write_text(server.localize(example), encoding="utf-8")
    runner = tmp_path / "run_once.py"
    runner.write_text(RUNNER_PY, encoding="utf-8")
    fake = tmp_path / "fake_modules" / "RPi"
    fake.mkdir(parents=True, exist_ok=True)
    (fake / "__init__.py").write_text("", encoding="utf-8")
    (fake / "GPIO.py").write_text(FAKE_GPIO_PY, encoding="utf-8")
    record = tmp_path / f"{name}-{uuid.uuid4().hex}.jsonl"
    env = subprocess_env(
        PYTHONPATH=str(fake.parent),
        PIALERT_TEST_RECORD=str(record),
        PYTHONIOENCODING="utf-8",
    )
    code, stdout, stderr = await run(sys.executable, str(runner), str(script), env=env)
    assert code == 0, stderr
    assert "Traceback" not in stderr, stderr
    return stdout, read_records(record)


async def test_python_relay_controller(server: Server, tmp_path: Path) -> None:
    """The relay script switches the GPIO pin HIGH on alert and LOW otherwise."""
    stdout, calls = await run_python_example(
        server, tmp_path, CONTRACT_RELAY_PY, "relay"
    )
    assert stdout == "All systems operational\n"
    assert calls == [
        {"kind": "gpio", "call": "setmode", "args": ["BCM"]},
        {"kind": "gpio", "call": "setup", "args": [17, "OUT"]},
        {"kind": "gpio", "call": "output", "args": [17, 0]},
        {"kind": "sleep", "seconds": 30},
    ]

    await server.alert()
    stdout, calls = await run_python_example(
        server, tmp_path, CONTRACT_RELAY_PY, "relay"
    )
    assert stdout == "ALERT: 2 targets down\n"
    assert calls == [
        {"kind": "gpio", "call": "setmode", "args": ["BCM"]},
        {"kind": "gpio", "call": "setup", "args": [17, "OUT"]},
        {"kind": "gpio", "call": "output", "args": [17, 1]},
        {"kind": "sleep", "seconds": 30},
    ]


async def test_python_discord_webhook(server: Server, tmp_path: Path) -> None:
    """The Discord script posts the contract's message when the alert starts."""
    _, calls = await run_python_example(
        server, tmp_path, CONTRACT_DISCORD_PY, "discord"
    )
    assert calls == [{"kind": "sleep", "seconds": 30}]  # no change, nothing sent

    await server.alert()
    _, calls = await run_python_example(
        server, tmp_path, CONTRACT_DISCORD_PY, "discord"
    )
    assert calls == [
        {
            "kind": "post",
            "url": "https://discord.com/api/webhooks/...",
            "json": {
                "content": "🚨 **Alert!** 2 targets are down:\n"
                "- Database (4/3 failures)\n"
                "- Production Server (5/3 failures)"
            },
        },
        {"kind": "sleep", "seconds": 30},
    ]


async def test_python_ifttt_webhook(server: Server, tmp_path: Path) -> None:
    """The IFTTT script posts count, names and timestamp only when alerting."""
    _, calls = await run_python_example(server, tmp_path, CONTRACT_IFTTT_PY, "ifttt")
    assert calls == []

    await server.alert()
    _, calls = await run_python_example(server, tmp_path, CONTRACT_IFTTT_PY, "ifttt")
    assert len(calls) == 1
    posted = calls[0]
    assert posted["url"] == "https://maker.ifttt.com/trigger/{event}/with/key/{key}"
    assert posted["json"]["value1"] == 2
    assert posted["json"]["value2"] == "Database, Production Server"
    datetime.fromisoformat(posted["json"]["value3"])


# --- Node-RED ------------------------------------------------------------------------------


async def test_node_red_flow(server: Server, tmp_path: Path) -> None:
    """The HTTP request node's settings and the function node's body, in Node.js."""
    require("node")
    flow = tmp_path / "node-red.js"
    flow.write_text(NODE_RED_JS, encoding="utf-8")
    request = server.localize(CONTRACT_NODE_RED_REQUEST)
    env = subprocess_env()

    code, stdout, stderr = await run(
        "node", str(flow), request, CONTRACT_NODE_RED_FUNCTION, env=env
    )
    assert code == 0, stderr
    assert json.loads(stdout) is None  # no alert: the function node drops it

    await server.alert()
    code, stdout, stderr = await run(
        "node", str(flow), request, CONTRACT_NODE_RED_FUNCTION, env=env
    )
    assert code == 0, stderr
    assert json.loads(stdout) == {
        "payload": {
            "text": "⚠️ 2 targets are down!",
            "targets": [
                {"name": "Database", "status": "down", "failures": 4, "threshold": 3},
                {
                    "name": "Production Server",
                    "status": "down",
                    "failures": 5,
                    "threshold": 3,
                },
            ],
        }
    }
