"""An outage under way survives a restart: no repeat, same timers, full recovery."""

from __future__ import annotations

from datetime import datetime, timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.pialert.const import DOMAIN
from custom_components.pialert.notify_state import NOTIFY_STATE_KEY

from ..platform_helpers import NOW
from .conftest import RULE_ID, RecordingNotify, SetupRules, entity_target, rule
from .test_notifier import _messages

NAS = {"nas": entity_target("nas")}
# Phone at once and every 3 min; both phones too after 10 min.
REMINDING = rule(group_wait=0, reminder_minutes=3, max_reminders=5)
START = datetime.fromisoformat(NOW)


@pytest.fixture
def hass_config_dir(tmp_path: Path) -> str:
    """Give Home Assistant a config dir of its own (a bad file is moved there)."""
    (tmp_path / ".storage").mkdir()
    return str(tmp_path)


async def _advance_to(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: float
) -> None:
    freezer.move_to(START + timedelta(minutes=minutes))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_restart_continues_reminders_and_escalation(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    phone: list[ServiceCall],
    both_phones: RecordingNotify,
) -> None:
    """Step 1 and a reminder, a restart, then step 2 at 10 min and recovery to both."""
    freezer.move_to(NOW)
    entry = await setup_rules(NAS, REMINDING)
    hass.states.async_set("sensor.nas", "95")
    await hass.async_block_till_done(wait_background_tasks=True)
    await _advance_to(hass, freezer, 3)
    down, reminder = _messages(phone)
    assert down.startswith("Nas is down: ")
    assert reminder.startswith("Still down")
    # Saved at once (not only when unloading): a crash keeps it too.
    await _advance_to(hass, freezer, 3 + 1 / 60)
    episode = hass_storage[NOTIFY_STATE_KEY]["data"]["rules"][RULE_ID]["episodes"]
    assert episode["nas"]["reminders"] == 1

    await _advance_to(hass, freezer, 4)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    hass_storage[NOTIFY_STATE_KEY] = json.loads(
        json.dumps(hass_storage[NOTIFY_STATE_KEY])
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await _advance_to(hass, freezer, 5.9)
    assert len(phone) == 2  # no repeated "down" after the restart
    await _advance_to(hass, freezer, 6)
    assert len(phone) == 3  # the second reminder at its original time
    assert _messages(phone)[2] == _messages(phone)[1]

    await _advance_to(hass, freezer, 9.9)
    assert both_phones.sent == []
    await _advance_to(hass, freezer, 10)
    assert both_phones.sent == [("PiAlert", "Still unacknowledged after 10 min: Nas")]

    hass.states.async_set("sensor.nas", "20")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert both_phones.sent[-1] == ("PiAlert", "Nas is up again")
    assert _messages(phone)[-1] == "Nas is up again"
    assert ir.async_get(hass).async_get_issue(DOMAIN, "notify_state_corrupt") is None


async def test_unusable_planner_file_is_set_aside_with_a_repair_issue(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    setup_rules: SetupRules,
    phone: list[ServiceCall],
) -> None:
    """A notify-state file of the wrong shape is kept aside, named in an issue."""
    freezer.move_to(NOW)
    content = {
        "version": 1,
        "minor_version": 1,
        "key": NOTIFY_STATE_KEY,
        "data": {"rules": {RULE_ID: {"episodes": "not a mapping"}}},
    }
    hass_storage[NOTIFY_STATE_KEY] = content
    path = Path(hass.config.path(".storage", NOTIFY_STATE_KEY))
    path.write_text(json.dumps(content), encoding="utf-8")
    await setup_rules(NAS, REMINDING)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "notify_state_corrupt")
    assert issue is not None
    corrupt = Path((issue.translation_placeholders or {})["corrupt_path"])
    assert corrupt.name.startswith(f"{NOTIFY_STATE_KEY}.corrupt.")
    assert json.loads(corrupt.read_text(encoding="utf-8")) == content
    assert not path.exists()
    hass.states.async_set("sensor.nas", "95")
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _messages(phone)[0].startswith("Nas is down: ")
    await _advance_to(hass, freezer, 1 / 60)
    # The new state is saved in a new file, not over the one set aside.
    saved = hass_storage[NOTIFY_STATE_KEY]["data"]["rules"][RULE_ID]
    assert set(saved["episodes"]) == {"nas"}
