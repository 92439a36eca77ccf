"""Every target's severity: in the form, the API and the OpenAPI document."""

from __future__ import annotations

from custom_components.pialert.engine.config import kind_fields, target_from_data
from custom_components.pialert.engine.models import TargetKind

from .conftest import Hub


async def test_severity_through_the_api(hub: Hub) -> None:
    """Created with a severity it is saved; a wrong one gets a clear detail."""
    body = {
        "kind": "tcp",
        "name": "Router",
        "host": "127.0.0.1",
        "port": 9,
        "severity": "warning",
    }
    created = await hub.json("POST", "/targets", 201, json=body)
    target = hub.coordinator.monitor.targets[created["id"]]
    assert target.settings.severity == "warning"
    detail = await hub.error(
        "POST", "/targets", 400, json={**body, "name": "R2", "severity": "urgent"}
    )
    assert detail == "Invalid field 'severity': Choose critical, warning or info."


async def test_severity_is_every_kinds_first_field(hub: Hub) -> None:
    """Declared once, every kind has it, defaulting to critical."""
    for kind in TargetKind:
        field = kind_fields(kind)[0]
        assert field.name == "severity"
        assert field.spec.default == "critical"


def test_a_new_severity_is_not_a_new_check() -> None:
    """Changing only the severity keeps the target's state (same check)."""
    data = {"kind": "tcp", "name": "Router", "host": "127.0.0.1", "port": 9}
    before = target_from_data("t", data)
    after = target_from_data("t", {**data, "severity": "info"})
    assert after.settings.severity == "info"
    assert before.check_config() == after.check_config()
