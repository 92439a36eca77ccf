"""A burst's grouped message is built after, not inside, the turn that publishes it."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
import pytest

from custom_components.pialert.coordinator import PiAlertCoordinator
from custom_components.pialert.notify_send import Sender

from ..platform_helpers import NOW
from .conftest import SetupRules, entity_target, rule

TARGETS = {f"t{i:02d}": entity_target(f"host{i:02d}") for i in range(12)}


@pytest.fixture
async def twelve_targets(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, setup_rules: SetupRules
) -> None:
    """Set up 12 entity targets, up, and a rule telling the phone at once."""
    freezer.move_to(NOW)
    await setup_rules(TARGETS, rule(group_wait=0))


async def _all_down(hass: HomeAssistant) -> None:
    for data in TARGETS.values():
        hass.states.async_set(data["entity_id"], "95")
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.mark.usefixtures("twelve_targets")
async def test_grouped_message_is_built_after_the_publishing_callback(
    hass: HomeAssistant, phone: list[ServiceCall]
) -> None:
    """Publishing a burst only plans the message: building it waits a turn."""
    publishing = False
    built_while_publishing: list[bool] = []
    publish, details = PiAlertCoordinator._publish, Sender.details

    def watched_publish(self: PiAlertCoordinator) -> None:
        nonlocal publishing
        publishing = True
        try:
            publish(self)
        finally:
            publishing = False

    def watched_details(self: Sender, ids: tuple[str, ...]) -> Any:
        built_while_publishing.append(publishing)
        return details(self, ids)

    with (
        patch.object(PiAlertCoordinator, "_publish", watched_publish),
        patch.object(Sender, "details", watched_details),
    ):
        await _all_down(hass)

    assert len(phone) == 1
    assert phone[0].data["message"].startswith("12 targets down: ")
    assert built_while_publishing == [False]  # once, and not in the publication


@pytest.mark.usefixtures("twelve_targets")
async def test_a_message_reads_its_targets_once(
    hass: HomeAssistant, phone: list[ServiceCall]
) -> None:
    """The title, message and delivery record share one read of the targets."""
    reads: list[int] = []
    details = Sender.details

    def counted(self: Sender, ids: tuple[str, ...]) -> Any:
        reads.append(len(ids))
        return details(self, ids)

    with patch.object(Sender, "details", counted):
        await _all_down(hass)

    assert len(phone) == 1
    assert reads == [len(TARGETS)]
