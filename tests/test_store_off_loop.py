"""The state save copies on the event loop and builds the check log elsewhere."""

from __future__ import annotations

import json
from pathlib import Path
import threading
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
import pytest

from custom_components.pialert.engine.check_log import CheckRing
from custom_components.pialert.engine.daily_uptime import DayCounts
from custom_components.pialert.engine.persistence import dump, parse

from .conftest import SetupHub
from .test_store import TARGETS, coordinator_of, make_history

# Taken before the tests' storage mock replaces it.
REAL_WRITE = Store._async_write_data


@pytest.fixture
def hass_config_dir(tmp_path: Path) -> str:
    """Give Home Assistant a config dir of its own (the state file is written)."""
    (tmp_path / ".storage").mkdir()
    return str(tmp_path)


@pytest.fixture
def dump_threads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Record which thread turns each check ring and day counter into lists."""
    calls: list[tuple[str, int]] = []
    for cls in (CheckRing, DayCounts):
        original = cls.dump

        def recording(self: Any, _original: Any = original, _cls: type = cls) -> Any:
            calls.append((_cls.__name__, threading.get_ident()))
            return _original(self)

        monkeypatch.setattr(cls, "dump", recording)
    return calls


async def test_check_log_is_built_outside_the_event_loop(
    hass: HomeAssistant,
    setup_hub: SetupHub,
    dump_threads: list[tuple[str, int]],
) -> None:
    entry = await setup_hub(*TARGETS)
    await make_history(hass, entry)
    coordinator = coordinator_of(entry)
    store = coordinator.store
    await hass.async_block_till_done()  # saves already scheduled are done
    dump_threads.clear()

    # Home Assistant's own write, not the tests' storage mock (which builds
    # on the loop): the file is really written, atomically, as in production.
    guarded = store._store
    await REAL_WRITE(
        guarded,
        {
            "version": guarded.version,
            "minor_version": guarded.minor_version,
            "key": guarded.key,
            "data_func": store._data_to_save,
        },
    )
    written = json.loads(Path(guarded.path).read_text(encoding="utf-8"))
    saved = written["data"]

    assert {name for name, _ in dump_threads} == {"CheckRing", "DayCounts"}
    assert all(thread != hass.loop_thread_id for _, thread in dump_threads)
    # Nothing is lost: the same document the loop would have built, and it loads.
    assert saved == dump(coordinator.monitor)
    assert parse(saved).states.keys() == coordinator.monitor.states.keys()
    assert saved["checks"]
    assert saved["days"]


async def test_the_copy_is_taken_when_saving(
    hass: HomeAssistant, setup_hub: SetupHub
) -> None:
    """Results arriving after the copy belong to the next save, not to this one."""
    entry = await setup_hub(*TARGETS)
    coordinator = coordinator_of(entry)
    build = coordinator.store._copy_state()
    before = dump(coordinator.monitor)
    for _ in range(3):
        coordinator.async_heartbeat(TARGETS[1]["id"], "success")

    saved = await hass.async_add_executor_job(build)

    assert saved == before
    assert saved != dump(coordinator.monitor)
