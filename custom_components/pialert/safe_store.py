"""A Home Assistant Store that never writes over a file it could not load.

PiAlert's files (state, API keys) are written only after they were loaded:
a file that is there but unusable (wrong shape, a newer version, a wrong
type) is moved aside, kept byte for byte, and named in a repair issue before
anything new is written. When it cannot be moved, the store stays read-only.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
import os
from typing import Any

from homeassistant.core import CoreState, HomeAssistant, callback
from homeassistant.exceptions import UnsupportedStorageVersionError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN

_LOGGER = logging.getLogger(__name__)


class UnusableDataError(ValueError):
    """The saved data is readable JSON but not what PiAlert saved."""


# What loading or validating a file of the wrong shape raises; an OSError
# (disk, permissions) is not among them: the file may be fine, so it stays.
CONTENT_ERRORS = (
    KeyError,
    TypeError,
    ValueError,
    AttributeError,
    IndexError,
    UnsupportedStorageVersionError,
)


def _move_aside(path: str, corrupt_path: str) -> None:
    if os.path.lexists(corrupt_path):
        raise FileExistsError(corrupt_path)
    os.replace(path, corrupt_path)


class GuardedStore(Store[dict[str, Any]]):
    """A store that is read-only until its file was loaded or set aside."""

    def __init__(
        self,
        hass: HomeAssistant,
        version: int,
        key: str,
        *,
        issue_id: str,
        private: bool = False,
        serialize_in_event_loop: bool = True,
    ) -> None:
        """Bind the store to its key and to the repair issue naming a bad file."""
        super().__init__(
            hass,
            version,
            key,
            private=private,
            serialize_in_event_loop=serialize_in_event_loop,
        )
        self.issue_id = issue_id
        self.writable = False

    async def _async_migrate_func(
        self,
        old_major_version: int,
        old_minor_version: int,
        old_data: dict[str, Any],
    ) -> dict[str, Any]:
        """Take older data as is (none exists yet); refuse a newer PiAlert's."""
        if (old_major_version, old_minor_version) > (self.version, self.minor_version):
            raise UnusableDataError(
                f"saved by a newer PiAlert (format {old_major_version}."
                f"{old_minor_version}, this one reads {self.version}."
                f"{self.minor_version})"
            )
        return old_data

    async def async_load_checked[T](self, parse: Callable[[Any], T]) -> T | None:
        """Load and parse the file; set it aside and return None if unusable.

        ``parse`` raises one of CONTENT_ERRORS for data of the wrong shape.
        After this returns, saving is allowed unless the file could not be
        moved aside. An unreadable file (OSError) raises and stays read-only.
        """
        try:
            data = await self.async_load()
            result = None if data is None else parse(data)
        except CONTENT_ERRORS as err:
            _LOGGER.error("Saved %s is unusable: %s", self.key, err)
            await self.async_set_aside(str(err))
            return None
        self.writable = True
        return result

    async def async_load_or_keep[T](self, parse: Callable[[Any], T]) -> T | None:
        """Load as ``async_load_checked``; an unreadable file is logged and kept.

        The store then stays read-only, so nothing is written over it.
        """
        try:
            return await self.async_load_checked(parse)
        except OSError as err:
            _LOGGER.error("Could not read %s: %s", self.key, err)
            return None

    async def async_set_aside(self, error: str) -> None:
        """Move the file aside and raise a repair issue naming where it went."""
        self.writable = False
        path: str = self.path
        corrupt_path = f"{path}.corrupt.{dt_util.utcnow().isoformat()}"
        try:
            await self.hass.async_add_executor_job(_move_aside, path, corrupt_path)
        except OSError as err:
            # Keep it where it is and write nothing over it.
            _LOGGER.error("Could not move %s aside, not saving it: %s", path, err)
            corrupt_path = path
        else:
            self.writable = True
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self.issue_id,
            is_fixable=False,
            is_persistent=True,
            severity=ir.IssueSeverity.ERROR,
            translation_key=self.issue_id,
            translation_placeholders={"corrupt_path": corrupt_path, "error": error},
        )

    @callback
    def close(self) -> None:
        """Refuse writes from now on (the hub was unloaded and saved)."""
        self.writable = False

    async def async_save(self, data: dict[str, Any]) -> None:
        """Save, unless the file was not loaded (this also blocks migrations)."""
        if self.writable:
            await super().async_save(data)

    @callback
    def async_delay_save(
        self, data_func: Callable[[], dict[str, Any]], delay: float = 0
    ) -> None:
        """Save later, unless the file was not loaded.

        Once Home Assistant has run its final write, a delayed save would
        never run (it would only leave a timer behind): write at once instead.
        After that, Home Assistant is gone and nothing can be written.
        """
        if not self.writable:
            return
        if self.hass.state is CoreState.final_write:
            self.hass.async_create_task(
                self.async_save(data_func()), f"{self.key} final save"
            )
            return
        if self.hass.state in (CoreState.not_running, CoreState.stopped):
            return
        super().async_delay_save(data_func, delay)
