"""Targets as code: export, import (create or update by name) and bulk changes.

Targets are config subentries: an import or a bulk change plans every
subentry's new data first, validates each one with the same rules as the
target flow and the API (``validate_target`` and Home Assistant's own
checks), and changes nothing unless all are valid. The hub's update listener
then applies them once, not once per target.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, cast

from homeassistant.config_entries import ConfigSubentry
from homeassistant.helpers.json import json_bytes
from homeassistant.util.json import json_loads

from .api.base import ApiError
from .api.request import bad_request, field_errors_detail, reject_unknown_fields
from .api.shapes import TargetChangesBody, TargetsExportBody
from .api.target_bodies import TOKEN, apply_fields, editable_fields
from .const import SUBENTRY_TYPE_TARGET
from .engine.config import (
    CONF_DEPENDS_ON,
    CONF_ENABLED,
    CONF_KIND,
    CONF_NAME,
    CONF_TAGS,
    normalize_tags,
    target_from_data,
    validate_target,
)
from .engine.models import Target, TargetKind
from .engine.names import name_key
from .engine.probes.heartbeat import new_token
from .target_checks import hass_target_errors

if TYPE_CHECKING:
    from .coordinator import PiAlertCoordinator

EXPORT_VERSION: Final = 1
# Targets planned, validated or stored between two turns of the event loop.
VALIDATE_SLICE: Final = 100
ADD_TAGS: Final = "add_tags"
REMOVE_TAGS: Final = "remove_tags"
# What a bulk change may set on many targets at once.
BULK_FIELDS: Final = frozenset(
    {
        CONF_ENABLED,
        CONF_TAGS,
        ADD_TAGS,
        REMOVE_TAGS,
        "interval",
        "timeout",
        "failure_threshold",
        "success_threshold",
    }
)


@dataclass(slots=True)
class PlannedChange:
    """One subentry to create or update, with the fields that change."""

    target_id: str
    name: str
    data: dict[str, Any]
    created: bool
    fields: list[str]


@dataclass(slots=True)
class Plan:
    """What an import or bulk change would do, or why it cannot."""

    changes: list[PlannedChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def summary(self, *, dry_run: bool) -> TargetChangesBody:
        """Return the plan as the API and the services answer it."""
        return {
            "dry_run": dry_run,
            "created": [c.name for c in self.changes if c.created],
            "updated": [
                {"name": c.name, "id": c.target_id, "fields": c.fields}
                for c in self.changes
                if not c.created
            ],
            "unchanged": self.unchanged,
        }

    def error_text(self) -> str:
        """Return every item's errors as one sentence list."""
        ordered = sorted(self.errors, key=lambda e: e["order"])
        return " ".join(f"{e['item']}: {e['detail']}" for e in ordered)


def target_subentries(coordinator: PiAlertCoordinator) -> dict[str, ConfigSubentry]:
    """Return the hub's target subentries by id."""
    return {
        sid: sub
        for sid, sub in coordinator.config_entry.subentries.items()
        if sub.subentry_type == SUBENTRY_TYPE_TARGET
    }


# --- export --------------------------------------------------------------------


def export_document(
    coordinator: PiAlertCoordinator, *, secrets: bool = False
) -> TargetsExportBody:
    """Return every target as saved, dependencies by name, ordered by name.

    A heartbeat's token is its secret: left out unless asked for (an import
    keeps an existing target's token and gives a new one a fresh token).
    """
    subentries = target_subentries(coordinator)
    names = {sid: str(sub.data[CONF_NAME]) for sid, sub in subentries.items()}
    items = []
    for sid, sub in subentries.items():
        item: dict[str, Any] = {CONF_NAME: names[sid], CONF_KIND: sub.data[CONF_KIND]}
        for key, value in sub.data.items():
            if key in item or (key == TOKEN and not secrets):
                continue
            if key == CONF_DEPENDS_ON:
                # By name; a link to a target deleted since is left out.
                if value in names:
                    item[key] = names[value]
                continue
            item[key] = value
        items.append(item)
    items.sort(key=lambda i: name_key(i[CONF_NAME]))
    # Saved values may be subclasses (a form can store a StrEnum): plain JSON
    # values, so YAML and service responses show them as JSON does.
    plain = cast("list[dict[str, Any]]", json_loads(json_bytes(items)))
    return {"version": EXPORT_VERSION, "targets": plain}


# --- planning --------------------------------------------------------------------


def _item_error(
    order: int, label: str, detail: str, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    """Return one refused item; ``order`` is its place in the request."""
    return {"order": order, "item": label, "errors": errors or {}, "detail": detail}


async def _validate(
    coordinator: PiAlertCoordinator,
    plan: Plan,
    planned: dict[str, dict[str, Any]],
    labels: Mapping[str, tuple[int, str]],
) -> None:
    """Check every changed target; record per-item errors in the plan.

    Names must be unique among all planned targets (checked here once, not
    target by target); each target is then validated against the targets
    its dependency chain reaches, which is all ``validate_target`` reads.
    """
    parsed: dict[str, Target | None] = {}

    def parse(sid: str) -> Target | None:
        # Only targets some dependency chain reaches are parsed, once each.
        if sid not in parsed:
            try:
                parsed[sid] = target_from_data(sid, planned[sid])
            except (KeyError, TypeError, ValueError):
                parsed[sid] = None  # invalid (or unknown): its validation says why
        return parsed[sid]

    owners: dict[str, list[str]] = {}
    for sid, data in planned.items():
        owners.setdefault(name_key(str(data.get(CONF_NAME, ""))), []).append(sid)
    for index, change in enumerate(plan.changes):
        if index % VALIDATE_SLICE == VALIDATE_SLICE - 1:
            await asyncio.sleep(0)  # 1,000 targets: let the loop run meanwhile
        sid, data = change.target_id, change.data
        chain: dict[str, Target] = {}
        current = data.get(CONF_DEPENDS_ON)
        while (
            isinstance(current, str)
            and current not in chain
            and (parent := parse(current)) is not None
        ):
            chain[current] = parent
            current = parent.depends_on
        errors = validate_target(data, target_id=sid, existing=chain)
        errors = hass_target_errors(coordinator.hass, data) | errors
        key = name_key(str(data.get(CONF_NAME, "")))
        if CONF_NAME not in errors and len(owners.get(key, ())) > 1:
            errors[CONF_NAME] = "name_exists"
        if errors:
            order, label = labels[sid]
            detail = await field_errors_detail(coordinator.hass, errors)
            plan.errors.append(_item_error(order, label, detail, errors))


def _record(
    plan: Plan, sid: str, data: dict[str, Any], before: Mapping[str, Any] | None
) -> None:
    name = str(data.get(CONF_NAME, ""))
    if before is not None and dict(before) == data:
        plan.unchanged.append(name)
        return
    fields = sorted(
        k for k in set(data) | set(before or {}) if (before or {}).get(k) != data.get(k)
    )
    plan.changes.append(PlannedChange(sid, name, data, before is None, fields))


async def async_plan_import(
    coordinator: PiAlertCoordinator, items: Sequence[Any]
) -> Plan:
    """Plan creating or updating targets by name; unlisted targets stay.

    An item describes its target entirely (fields left out take their
    defaults), except a heartbeat's token, which is kept unless given.
    """
    plan = Plan()
    subentries = target_subentries(coordinator)
    planned = {sid: dict(s.data) for sid, s in subentries.items()}
    ids = {name_key(str(d[CONF_NAME])): sid for sid, d in planned.items()}
    labels: dict[str, tuple[int, str]] = {}
    depends: dict[str, str] = {}
    for index, item in enumerate(items):
        if index % VALIDATE_SLICE == VALIDATE_SLICE - 1:
            await asyncio.sleep(0)
        label = f"Target {index + 1}"
        if not isinstance(item, Mapping) or not isinstance(item.get(CONF_NAME), str):
            plan.errors.append(
                _item_error(index, label, "Expected an object with a 'name'")
            )
            continue
        name = item[CONF_NAME].strip()
        label = f"Target {index + 1} ({name})"
        sid = ids.get(name_key(name))
        if sid is not None and sid in labels:
            plan.errors.append(_item_error(index, label, "This name is listed twice"))
            continue
        before = subentries[sid].data if sid is not None else None
        try:
            data = _import_data(item, before)
        except ApiError as err:
            plan.errors.append(_item_error(index, label, err.detail))
            continue
        if sid is None:
            sid = ids[name_key(name)] = _new_subentry_id()
        if isinstance(item.get(CONF_DEPENDS_ON), str):
            depends[sid] = item[CONF_DEPENDS_ON]
        planned[sid] = data
        labels[sid] = (index, label)
    # Dependencies are named: resolve them once every target has its id. A
    # name that matches none stays as given, and validation refuses it.
    for sid, wanted in depends.items():
        planned[sid][CONF_DEPENDS_ON] = ids.get(name_key(wanted), wanted)
    for sid in labels:
        _record(
            plan, sid, planned[sid], subentries[sid].data if sid in subentries else None
        )
    await _validate(coordinator, plan, planned, labels)
    return plan


def _new_subentry_id() -> str:
    """Return an id as Home Assistant gives a new subentry."""
    return ConfigSubentry(
        data=MappingProxyType({}),
        subentry_type=SUBENTRY_TYPE_TARGET,
        title="",
        unique_id=None,
    ).subentry_id


def _import_data(
    item: Mapping[str, Any], before: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Return an imported item as subentry data (dependency resolved later)."""
    raw_kind = item.get(CONF_KIND, before[CONF_KIND] if before else None)
    if not isinstance(raw_kind, str) or raw_kind not in set(TargetKind):
        raise bad_request(
            "Invalid field 'kind': expected one of " + ", ".join(TargetKind)
        )
    kind = TargetKind(raw_kind)
    if before is not None and before[CONF_KIND] != kind.value:
        raise bad_request(
            f"Invalid field 'kind': a target's kind cannot change (it is {before[CONF_KIND]})"
        )
    allowed = editable_fields(kind) | (
        {TOKEN} if kind is TargetKind.HEARTBEAT else set()
    )
    reject_unknown_fields(item, allowed)
    data: dict[str, Any] = {}
    apply_fields(data, {k: v for k, v in item.items() if k != CONF_DEPENDS_ON})
    data[CONF_KIND] = kind.value
    if kind is TargetKind.HEARTBEAT and not data.get(TOKEN):
        data[TOKEN] = (before or {}).get(TOKEN) or new_token()
    return data


async def async_plan_bulk(
    coordinator: PiAlertCoordinator,
    target_ids: Sequence[str],
    updates: Mapping[str, Any],
) -> Plan:
    """Plan the same change on many targets: pause, resume, tags, numbers."""
    plan = Plan()
    subentries = target_subentries(coordinator)
    reject_unknown_fields(updates, BULK_FIELDS)
    if not updates:
        raise bad_request(
            "Field 'updates' must set at least one of: "
            + ", ".join(sorted(BULK_FIELDS))
        )
    tag_changes = {k: updates[k] for k in (ADD_TAGS, REMOVE_TAGS) if k in updates}
    common: dict[str, Any] = {}
    apply_fields(common, {k: v for k, v in updates.items() if k not in tag_changes})
    for name, value in tag_changes.items():
        apply_fields(common, {CONF_TAGS: value})
        tag_changes[name] = common.pop(CONF_TAGS, [])
    removed = {k for k, v in updates.items() if v is None and k not in tag_changes}
    planned = {sid: dict(s.data) for sid, s in subentries.items()}
    labels: dict[str, tuple[int, str]] = {}
    for index, sid in enumerate(dict.fromkeys(target_ids)):
        if sid not in subentries:
            plan.errors.append(_item_error(index, sid, f"Unknown target: {sid}"))
            continue
        data = {k: v for k, v in planned[sid].items() if k not in removed} | common
        tags = set(normalize_tags(data.get(CONF_TAGS)))
        tags |= set(tag_changes.get(ADD_TAGS, ()))
        tags -= set(tag_changes.get(REMOVE_TAGS, ()))
        if tags or CONF_TAGS in data:
            data[CONF_TAGS] = sorted(tags)
        planned[sid] = data
        labels[sid] = (index, str(data[CONF_NAME]))
        _record(plan, sid, data, subentries[sid].data)
    await _validate(coordinator, plan, planned, labels)
    return plan


# --- applying ----------------------------------------------------------------------


async def async_apply_plan(coordinator: PiAlertCoordinator, plan: Plan) -> None:
    """Create and update the planned subentries, then apply them all at once.

    Home Assistant runs the entry's update listeners after each subentry
    change: held, they return at once, and run here once for all changes.
    When this returns, the targets are stored, scheduled and checked; their
    entities follow a slice at a time (entity_adder.py).
    """
    entry = coordinator.config_entry
    hass = coordinator.hass
    entries = hass.config_entries
    subentries = entry.subentries
    coordinator.hold_target_sync = True
    try:
        for index, change in enumerate(plan.changes):
            if index % VALIDATE_SLICE == VALIDATE_SLICE - 1:
                await asyncio.sleep(0)  # held: the listeners below apply all
            if change.created:
                entries.async_add_subentry(
                    entry,
                    ConfigSubentry(
                        data=MappingProxyType(change.data),
                        subentry_type=SUBENTRY_TYPE_TARGET,
                        title=change.name,
                        unique_id=None,
                        subentry_id=change.target_id,
                    ),
                )
            else:
                entries.async_update_subentry(
                    entry,
                    subentries[change.target_id],
                    data=change.data,
                    title=change.name,
                )
    finally:
        coordinator.hold_target_sync = False
    if plan.changes:
        for listener in list(entry.update_listeners):
            await listener(hass, entry)
