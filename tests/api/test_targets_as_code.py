"""Targets as code through the API: export, import, dry runs, bulk changes."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
import pytest
import yaml

from custom_components.pialert.const import SUBENTRY_TYPE_TARGET
from custom_components.pialert.engine.models import TargetKind

from .conftest import BACKUP, TARGETS, TOKEN, Hub

HTTP_SITE = {
    "id": "site",
    "kind": "http",
    "name": "Web site",
    "url": "http://127.0.0.1:9/health",
    "keyword": "ok",
    "interval": 120,
    "depends_on": "cpu",
    "tags": ["web"],
}


@pytest.fixture
def hub_targets() -> tuple[dict[str, Any], ...]:
    """Return the API targets and an http target depending on another."""
    return (*TARGETS, HTTP_SITE)


def subentry_data(hub: Hub) -> dict[str, dict[str, Any]]:
    """Return each target's saved data by name."""
    return {
        str(sub.data["name"]): dict(sub.data)
        for sub in hub.entry.subentries.values()
        if sub.subentry_type == SUBENTRY_TYPE_TARGET
    }


async def test_export_delete_import_restores_the_targets(hub: Hub) -> None:
    before = subentry_data(hub)
    exported = await hub.json("GET", "/targets/export?secrets=true")
    assert exported["version"] == 1
    names = [t["name"] for t in exported["targets"]]
    assert names == ["Archive", "Backup job", "CPU load", "Door", "Web site"]
    site = exported["targets"][-1]
    assert site["depends_on"] == "CPU load"  # by name, not id
    assert exported["targets"][1]["token"] == TOKEN
    for target in list(hub.entry.subentries):
        await hub.json("DELETE", f"/targets/{target}")
    await hub.settle()
    assert subentry_data(hub) == {}

    result = await hub.json("POST", "/targets/import", json=exported)
    assert result == {
        "dry_run": False,
        "created": ["Archive", "Backup job", "CPU load", "Door", "Web site"],
        "updated": [],
        "unchanged": [],
    }
    await hub.settle()
    after = subentry_data(hub)
    # The same targets (new ids; dependencies point at the new ids).
    cpu_id = next(
        sid for sid, sub in hub.entry.subentries.items() if sub.title == "CPU load"
    )
    assert after["Web site"]["depends_on"] == cpu_id
    assert after["Door"]["depends_on"] == cpu_id
    for name, data in before.items():
        restored = dict(after[name])
        if "depends_on" in data:
            restored["depends_on"] = data["depends_on"]
        assert restored == data
    # The engine runs them, and the export is the same again.
    assert {t.name for t in hub.coordinator.monitor.targets.values()} == set(before)
    assert await hub.json("GET", "/targets/export?secrets=true") == exported


async def test_import_updates_by_name_and_keeps_tokens(hub: Hub) -> None:
    exported = await hub.json("GET", "/targets/export")
    assert "token" not in exported["targets"][1]  # secrets only when asked
    backup = exported["targets"][1]
    backup["period"] = 7200
    backup["tags"] = ["nightly", "offsite"]
    result = await hub.json("POST", "/targets/import", json=exported)
    assert result["created"] == []
    assert result["updated"] == [
        {"name": "Backup job", "id": "backup", "fields": ["period", "tags"]}
    ]
    assert len(result["unchanged"]) == 4
    await hub.settle()
    data = hub.entry.subentries["backup"].data
    assert data["period"] == 7200
    assert data["token"] == TOKEN
    assert hub.coordinator.monitor.targets["backup"].tags == ("nightly", "offsite")


async def test_dry_run_changes_nothing(hub: Hub) -> None:
    before = subentry_data(hub)
    exported = await hub.json("GET", "/targets/export")
    exported["targets"][0]["grace"] = 900
    new = {"name": "NAS", "kind": "tcp", "host": "127.0.0.1", "port": 445}
    exported["targets"].append(new)
    result = await hub.json("POST", "/targets/import?dry_run=true", json=exported)
    assert result["dry_run"] is True
    assert result["created"] == ["NAS"]
    assert result["updated"] == [
        {"name": "Archive", "id": "paused", "fields": ["grace"]}
    ]
    await hub.settle()
    assert subentry_data(hub) == before
    bulk = await hub.json(
        "PUT",
        "/targets/bulk",
        json={"target_ids": ["cpu"], "updates": {"enabled": False}, "dry_run": True},
    )
    assert bulk["updated"] == [{"name": "CPU load", "id": "cpu", "fields": ["enabled"]}]
    await hub.settle()
    assert subentry_data(hub) == before


async def test_yaml_round_trip(hub: Hub) -> None:
    response = await hub.request("GET", "/targets/export?format=yaml")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/yaml; charset=utf-8"
    text = await response.text()
    document = yaml.safe_load(text)
    assert document == await hub.json("GET", "/targets/export")
    edited = text.replace("period: 3600", "period: 1800")
    result = await hub.json(
        "POST",
        "/targets/import",
        data=edited.encode(),
        headers={"Content-Type": "application/yaml"},
    )
    assert result["updated"] == [
        {"name": "Backup job", "id": "backup", "fields": ["period"]}
    ]


async def test_import_is_all_or_nothing(hub: Hub) -> None:
    before = subentry_data(hub)
    items = [
        {"name": "NAS", "kind": "tcp", "host": "127.0.0.1", "port": 445},
        {"name": "Router", "kind": "ping", "host": "bad host!"},
        {"name": "Door", "kind": "tcp", "host": "h", "port": 1},
        {
            "name": "Fast",
            "kind": "tcp",
            "host": "h",
            "port": 1,
            "interval": 5,
            "timeout": 2,
        },
        {"name": "Orphan", "kind": "tcp", "host": "h", "port": 1, "depends_on": "Nope"},
        {"kind": "tcp"},
        {"name": "nas", "kind": "tcp", "host": "127.0.0.1", "port": 139},
    ]
    detail = await hub.error("POST", "/targets/import", 400, json={"targets": items})
    assert detail == (
        "Target 2 (Router): Invalid field 'host': Enter a host name or an IP address. "
        "Target 3 (Door): Invalid field 'kind': a target's kind cannot change (it is entity) "
        "Target 4 (Fast): Invalid field 'interval': Enter a whole number of seconds from 10 to 86400. "
        "Target 5 (Orphan): Invalid field 'depends_on': Pick another existing target. "
        "Target 6: Expected an object with a 'name' "
        "Target 7 (nas): This name is listed twice"
    )
    await hub.settle()
    assert subentry_data(hub) == before


@pytest.mark.parametrize(
    ("path", "kwargs", "detail"),
    [
        (
            "/targets/import",
            {"json": {"targets": 5}},
            'Expected an export document: {"targets": [...]}',
        ),
        (
            "/targets/import",
            {"json": {"version": 2, "targets": []}},
            "Unsupported export version: expected 1",
        ),
        ("/targets/import", {"data": b"{"}, "Request body is not valid JSON"),
        (
            "/targets/import",
            {"data": b"a: [", "headers": {"Content-Type": "text/yaml"}},
            None,
        ),
        (
            "/targets/import?dry_run=maybe",
            {"json": []},
            "Invalid query parameter 'dry_run': expected one of true, false",
        ),
        (
            "/targets/import",
            {
                "data": b"!!python/object:os.system {}",
                "headers": {"Content-Type": "application/yaml"},
            },
            None,
        ),
    ],
)
async def test_bad_import_bodies(
    hub: Hub, path: str, kwargs: dict[str, Any], detail: str | None
) -> None:
    text = await hub.error("POST", path, 400, **kwargs)
    if detail is not None:
        assert text == detail
    else:
        assert text.startswith("Not valid YAML: ")


async def test_read_key_is_refused(hub: Hub) -> None:
    for method, path, body in (
        ("GET", "/targets/export", None),
        ("POST", "/targets/import", {"targets": []}),
        (
            "PUT",
            "/targets/bulk",
            {"target_ids": ["cpu"], "updates": {"enabled": False}},
        ),
    ):
        detail = await hub.error(method, path, 403, key="read", json=body)
        assert "read-only" in detail
    assert hub.entry.subentries["cpu"].data.get("enabled", True) is True


async def test_bulk_pause_resume_and_tags(hub: Hub, hass: HomeAssistant) -> None:
    body = {
        "target_ids": ["cpu", "backup", "door"],
        "updates": {"enabled": False, "add_tags": ["Maintenance"]},
    }
    result = await hub.json("PUT", "/targets/bulk", json=body)
    assert [u["name"] for u in result["updated"]] == ["CPU load", "Backup job", "Door"]
    await hub.settle()
    monitor = hub.coordinator.monitor
    for target_id in ("cpu", "backup", "door"):
        assert monitor.targets[target_id].enabled is False
        assert "maintenance" in monitor.targets[target_id].tags
    assert monitor.targets["backup"].tags == ("maintenance", "nightly")
    listed = await hub.json("GET", "/targets?status=paused", key="read")
    assert {t["id"] for t in listed["targets"]} == {"cpu", "backup", "door", "paused"}

    body = {
        "target_ids": ["cpu", "backup", "door"],
        "updates": {
            "enabled": True,
            "remove_tags": ["maintenance"],
            "failure_threshold": 4,
        },
    }
    await hub.json("PUT", "/targets/bulk", json=body)
    await hub.settle()
    assert monitor.targets["backup"].tags == ("nightly",)
    assert monitor.targets["door"].tags == ()
    assert all(monitor.targets[t].enabled for t in ("cpu", "backup", "door"))
    assert monitor.targets["cpu"].failure_threshold == 4
    # Setting tags replaces them; an unchanged target is listed as such.
    result = await hub.json(
        "PUT",
        "/targets/bulk",
        json={"target_ids": ["cpu", "door"], "updates": {"tags": ["a"]}},
    )
    await hub.settle()
    assert monitor.targets["door"].tags == ("a",)
    result = await hub.json(
        "PUT",
        "/targets/bulk",
        json={"target_ids": ["door"], "updates": {"tags": ["a"]}},
    )
    assert result["unchanged"] == ["Door"]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            {"target_ids": ["cpu", "nope"], "updates": {"enabled": False}},
            "nope: Unknown target: nope",
        ),
        (
            {"target_ids": ["cpu"], "updates": {}},
            "Field 'updates' must set at least one of: add_tags, enabled, failure_threshold, interval, remove_tags, success_threshold, tags, timeout",
        ),
        ({"target_ids": ["cpu"], "updates": {"url": "x"}}, "Unknown field: url"),
        (
            {"target_ids": [], "updates": {"enabled": False}},
            "Invalid field 'target_ids': expected a list of target ids",
        ),
        (
            {"target_ids": ["cpu"], "updates": {"enabled": "no"}},
            "Invalid field 'enabled': expected true or false",
        ),
        (
            {"target_ids": ["cpu", "backup"], "updates": {"failure_threshold": 0}},
            "CPU load: Invalid field 'failure_threshold': Thresholds must be whole numbers from 1 to 100. Backup job: Invalid field 'failure_threshold': Thresholds must be whole numbers from 1 to 100.",
        ),
        ({"target_ids": ["cpu"]}, "Invalid field 'updates': expected an object"),
    ],
)
async def test_bulk_bad_input_changes_nothing(
    hub: Hub, body: dict[str, Any], detail: str
) -> None:
    before = subentry_data(hub)
    assert await hub.error("PUT", "/targets/bulk", 400, json=body) == detail
    await hub.settle()
    assert subentry_data(hub) == before


async def test_backup_token_reused(hub: Hub) -> None:
    """A new heartbeat without a token gets a fresh one; BACKUP keeps its own."""
    result = await hub.json(
        "POST",
        "/targets/import",
        json={
            "targets": [
                {"name": "Cron", "kind": "heartbeat", "period": 600, "grace": 60}
            ]
        },
    )
    assert result["created"] == ["Cron"]
    await hub.settle()
    tokens = {sub.title: sub.data.get("token") for sub in hub.entry.subentries.values()}
    assert tokens["Cron"]
    assert tokens["Cron"] != BACKUP["token"]


async def test_yaml_export_of_enum_values(hub: Hub, hass: HomeAssistant) -> None:
    """Forms may save a StrEnum; the YAML export shows it as plain text."""
    hass.config_entries.async_add_subentry(
        hub.entry,
        ConfigSubentry(
            data=MappingProxyType(
                {
                    "kind": TargetKind.TCP,
                    "name": "NAS",
                    "host": "127.0.0.1",
                    "port": 445,
                    "tags": ("storage",),
                }
            ),
            subentry_type=SUBENTRY_TYPE_TARGET,
            title="NAS",
            unique_id=None,
        ),
    )
    await hub.settle()
    response = await hub.request("GET", "/targets/export?format=yaml")
    assert response.status == 200
    text = await response.text()
    assert "kind: tcp\n" in text
    by_name = {t["name"]: t for t in yaml.safe_load(text)["targets"]}
    assert by_name["NAS"]["tags"] == ["storage"]
