"""``/notification-rules``: the rule subentries through the REST API."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.pialert.const import SUBENTRY_TYPE_NOTIFICATION_RULE

from ..notify import conftest as notify_fixtures
from ..notify.conftest import RecordingNotify
from .conftest import Hub

READ_ONLY = "This API key is read-only; this endpoint needs a key with write scope"
RULE = {
    "name": "On call",
    "group_wait": 0,
    "steps": [
        {
            "notify_entities": ["notify.both_phones"],
            "notify_services": ["notify.mobile_app_phone"],
        },
        {"after_minutes": 10, "persistent": True},
    ],
}

# The notify tests' real notify entity and real notify service.
both_phones = notify_fixtures.both_phones
phone = notify_fixtures.phone


def rule_subentries(hub: Hub) -> dict[str, Any]:
    """Return the hub's rule subentries by id."""
    return {
        s.subentry_id: s
        for s in hub.entry.subentries.values()
        if s.subentry_type == SUBENTRY_TYPE_NOTIFICATION_RULE
    }


async def test_create_list_change_test_and_delete(
    hub: Hub, both_phones: RecordingNotify, phone: list[ServiceCall]
) -> None:
    """A rule made by the API is a subentry; Send test reaches its channels."""
    created = await hub.json("POST", "/notification-rules", 201, json=RULE)
    rule_id = created["id"]
    assert created["name"] == "On call"
    assert created["scope"] == "all"
    assert created["when"] == ["down", "reminder", "acknowledged", "recovered"]
    assert [s["after_minutes"] for s in created["steps"]] == [0, 10]
    subentry = rule_subentries(hub)[rule_id]
    assert subentry.title == "On call"
    assert subentry.data["steps"][1]["persistent"] is True

    listed = await hub.json("GET", "/notification-rules", key="read")
    assert [r["id"] for r in listed["notification_rules"]] == [rule_id]
    assert listed["notification_rules"][0] == created
    assert await hub.json("GET", f"/notification-rules/{rule_id}", key="read") == (
        created
    )

    changed = await hub.json(
        "PATCH",
        f"/notification-rules/{rule_id}",
        json={"name": "Night shift", "reminder_minutes": 5},
    )
    assert changed["name"] == "Night shift"
    assert changed["reminder_minutes"] == 5
    assert changed["steps"] == created["steps"]
    await hub.settle()
    assert hub.entry.subentries[rule_id].title == "Night shift"
    assert hub.entry.subentries[rule_id].data["reminder_minutes"] == 5

    tested = await hub.json("POST", f"/notification-rules/{rule_id}/test")
    assert tested["rule_id"] == rule_id
    assert {(d["channel"], d["status"]) for d in tested["deliveries"]} == {
        ("entity:notify.both_phones", "sent"),
        ("service:notify.mobile_app_phone", "sent"),
        ("persistent:", "sent"),
    }
    await hub.settle()
    assert both_phones.sent[-1][1] == (
        "Test message from the notification rule Night shift"
    )
    assert phone[-1].data["message"] == both_phones.sent[-1][1]

    deleted = await hub.json("DELETE", f"/notification-rules/{rule_id}")
    assert deleted == {"deleted": rule_id}
    await hub.settle()
    assert rule_subentries(hub) == {}
    assert (await hub.json("GET", "/notification-rules"))["notification_rules"] == []


async def test_a_rule_made_in_the_ui_is_listed_and_its_down_message_is_singular(
    hub: Hub, hass: HomeAssistant, both_phones: RecordingNotify
) -> None:
    """The subentry flow's rule is the API's; one failure reads "1 failure"."""
    result = await hass.config_entries.subentries.async_init(
        (hub.entry.entry_id, SUBENTRY_TYPE_NOTIFICATION_RULE),
        context={"source": SOURCE_USER},
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "name": "Screen",
            "scope": "all",
            "when": ["down"],
            "group_wait": 0.0,
            "reminder_minutes": 0.0,
            "max_reminders": 3.0,
            "step_1": {
                "notify_entities": ["notify.both_phones"],
                "persistent": False,
                "relay": False,
            },
            "step_2": {"persistent": False, "relay": False},
            "step_3": {"persistent": False, "relay": False},
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hub.settle()
    (listed,) = (await hub.json("GET", "/notification-rules", key="read"))[
        "notification_rules"
    ]
    assert listed["name"] == "Screen"
    assert listed["when"] == ["down"]
    assert listed["steps"][0]["notify_entities"] == ["notify.both_phones"]

    hass.states.async_set("sensor.cpu", "95")
    await hass.async_block_till_done(wait_background_tasks=True)  # the send too
    ((_title, message),) = both_phones.sent
    assert message.startswith("CPU load is down: ")
    assert message.endswith(", 1 failure")


async def test_webhook_secret_is_never_shown_and_kept_on_change(hub: Hub) -> None:
    """Answers say only that a secret is set; a change without it keeps it."""
    url = "http://relay:pa55@127.0.0.1:9/hook"
    body = {
        "name": "Hook",
        "steps": [{"webhook_url": url, "webhook_secret": "s3cret"}],
    }
    created = await hub.json("POST", "/notification-rules", 201, json=body)
    rule_id = created["id"]
    step = created["steps"][0]
    assert step["webhook_secret_set"] is True
    assert "webhook_secret" not in step
    assert step["webhook_url"] == url
    read = await hub.json("GET", f"/notification-rules/{rule_id}", key="read")
    assert read["steps"][0]["webhook_url"] == "http://relay:***@127.0.0.1:9/hook"

    await hub.json(
        "PATCH",
        f"/notification-rules/{rule_id}",
        json={"steps": [{"webhook_url": url, "persistent": True}]},
    )
    assert hub.entry.subentries[rule_id].data["steps"][0]["webhook_secret"] == "s3cret"
    changed = await hub.json(
        "PATCH",
        f"/notification-rules/{rule_id}",
        json={"steps": [{"webhook_url": url, "webhook_secret": None}]},
    )
    assert changed["steps"][0]["webhook_secret_set"] is False
    assert "webhook_secret" not in hub.entry.subentries[rule_id].data["steps"][0]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            {"name": "x", "steps": [{}]},
            "Invalid field 'steps': Each step needs at least one place to send to.",
        ),
        (
            {**RULE, "group_wait": -1},
            "Invalid field 'group_wait': expected a whole number from 0 to 3600",
        ),
        (
            {**RULE, "scope": "tags"},
            "Invalid field 'tags': Pick at least one tag.",
        ),
        (
            {**RULE, "target_ids": ["nope"], "scope": "targets"},
            "Invalid field 'target_ids': Pick targets of this hub (an id is unknown).",
        ),
        (
            {**RULE, "when": ["down", "never"]},
            "Invalid field 'when': expected a list of at least one of down, "
            "reminder, acknowledged, recovered, updated",
        ),
        ({**RULE, "color": "red"}, "Unknown field: color"),
        (
            {"name": "x", "steps": [{"persistent": True, "sms": "+49"}]},
            "Unknown field in steps[0]: sms",
        ),
        (
            {"name": "x", "steps": [{"persistent": "yes"}]},
            "Invalid field 'steps[0].persistent': expected true or false",
        ),
        ({"name": "x"}, "Invalid field 'steps': expected a list of 1 to 3 objects"),
        (
            {"name": "x", "steps": [{"notify_entities": ["phone"]}]},
            "Invalid field 'notify_entities': Notify entities and services are "
            "written notify.name.",
        ),
        (
            {
                "name": "x",
                "steps": [{"persistent": True}, {"persistent": True}],
            },
            "Invalid field 'steps': Each escalation step waits longer than the one "
            "before it (1 to 10080 minutes).",
        ),
        (
            {"name": "  ", "steps": [{"persistent": True}]},
            "Invalid field 'name': Enter a name of 1 to 100 characters.",
        ),
    ],
)
async def test_bad_bodies_are_refused_with_a_specific_detail(
    hub: Hub, body: dict[str, Any], detail: str
) -> None:
    """Each bad body gets its own sentence; nothing is saved."""
    assert await hub.error("POST", "/notification-rules", 400, json=body) == detail
    assert rule_subentries(hub) == {}


async def test_bad_changes_are_refused_and_lose_nothing(hub: Hub) -> None:
    """A refused change leaves the saved rule as it was."""
    created = await hub.json("POST", "/notification-rules", 201, json=RULE)
    path = f"/notification-rules/{created['id']}"
    saved = dict(hub.entry.subentries[created["id"]].data)
    assert await hub.error("PATCH", path, 400, json={"when": []}) == (
        "Invalid field 'when': expected a list of at least one of down, reminder, "
        "acknowledged, recovered, updated"
    )
    assert await hub.error("PATCH", path, 400, json={"name": None}) == (
        "Invalid field 'name': Enter a name of 1 to 100 characters."
    )
    assert await hub.error("PATCH", path, 400, data=b"{") == (
        "Request body is not valid JSON"
    )
    assert dict(hub.entry.subentries[created["id"]].data) == saved


async def test_read_keys_cannot_change_rules(hub: Hub) -> None:
    """Read keys list and read; writes, deletes and tests need a write key."""
    created = await hub.json("POST", "/notification-rules", 201, json=RULE)
    path = f"/notification-rules/{created['id']}"
    for method, url, body in (
        ("POST", "/notification-rules", RULE),
        ("PATCH", path, {"name": "Mine"}),
        ("DELETE", path, None),
        ("POST", f"{path}/test", None),
    ):
        assert await hub.error(method, url, 403, key="read", json=body) == READ_ONLY
    assert await hub.error("GET", "/notification-rules", 401, key=None) == (
        "Missing API key in x-api-key header"
    )
    assert [
        r["name"]
        for r in (await hub.json("GET", "/notification-rules"))["notification_rules"]
    ] == ["On call"]


async def test_unknown_rules_are_404(hub: Hub) -> None:
    """Reading, changing, deleting or testing an unknown rule: 404 with its id."""
    detail = "There is no notification rule nope."
    path = "/notification-rules/nope"
    assert await hub.error("GET", path, 404, key="read") == detail
    assert await hub.error("PATCH", path, 404, json={"name": "x"}) == detail
    assert await hub.error("DELETE", path, 404) == detail
    assert await hub.error("POST", f"{path}/test", 404) == detail
    # A target's id is no rule's.
    assert await hub.error("GET", "/notification-rules/cpu", 404) == (
        "There is no notification rule cpu."
    )


async def test_rules_are_in_the_openapi_document(hub: Hub) -> None:
    """Every method is described; the body's fields are the rule table's."""
    document = await hub.json("GET", "/openapi.json", key=None)
    paths = document["paths"]
    assert set(paths["/api/pialert/v1/notification-rules"]) == {"get", "post"}
    assert set(paths["/api/pialert/v1/notification-rules/{rule_id}"]) == {
        "get",
        "patch",
        "delete",
    }
    post = paths["/api/pialert/v1/notification-rules"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["group_wait"]["maximum"] == 3600
    step = schema["properties"]["steps"]["items"]
    assert step["properties"]["notify_entities"]["items"]["pattern"]
    assert "403" in post["responses"]
    assert "NotificationRule" in document["components"]["schemas"]
