"""``/api/pialert/v1/targets``: list, create, read, change, delete, acknowledge.

Targets are config subentries of the hub, so the API changes the very same
subentries the UI shows; the hub's update listener applies them to the engine.
"""

from __future__ import annotations

from http import HTTPStatus
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web
from homeassistant.config_entries import ConfigSubentry

from ..commands import HubCommands
from ..const import SUBENTRY_TYPE_TARGET
from ..engine.config import (
    CONF_DEPENDS_ON,
    CONF_KIND,
    CONF_NAME,
    normalize_tags,
    target_from_data,
)
from ..engine.errors import RefusedError
from ..engine.models import Status, TargetKind
from ..engine.probes.heartbeat import new_token
from ..refusals import refusal_text
from .base import API_PREFIX, ApiError, PiAlertView, api_endpoint, json_response
from .keys import ApiKey, Scope
from .request import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_NOTE_LENGTH,
    acted_by,
    bad_request,
    check_query,
    choice_param,
    int_param,
    read_json_object,
    reject_unknown_fields,
)
from .shapes import DeletedBody, TargetListBody
from .target_bodies import TOKEN, apply_fields, body_kind, editable_fields, validated
from .target_json import SORTS, describe_target, effective_view, sort_views, target_json

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator

LIST_PARAMS: Final = frozenset({"status", "kind", "tag", "sort", "limit", "offset"})


def target_subentry(coordinator: PiAlertCoordinator, target_id: str) -> ConfigSubentry:
    """Return a target's subentry; 404 when there is none."""
    subentry = coordinator.config_entry.subentries.get(target_id)
    if subentry is None or subentry.subentry_type != SUBENTRY_TYPE_TARGET:
        raise ApiError(HTTPStatus.NOT_FOUND, f"Unknown target: {target_id}")
    return subentry


class TargetsView(PiAlertView):
    """``/targets``: list (filter, sort, page) and create targets."""

    url = f"{API_PREFIX}/targets"
    name = "api:pialert:targets"

    @api_endpoint(Scope.READ)
    async def get(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """List targets."""
        query = check_query(request, LIST_PARAMS)
        status = choice_param(query, "status", (s.value for s in Status))
        kind = choice_param(query, "kind", (k.value for k in TargetKind))
        tag = query.get("tag")
        if tag is not None:
            tags = normalize_tags([tag])
            if len(tags) != 1 or "," in tag:
                raise bad_request("Invalid query parameter 'tag': expected one tag")
            tag = tags[0]
        sort = choice_param(query, "sort", SORTS) or "name"
        limit = int_param(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = int_param(query, "offset", 0, 0)

        now = coordinator.now()
        published = coordinator.data.targets
        views = [
            effective_view(coordinator, target, published.get(target.id), now)
            for target in coordinator.configured_targets()
        ]
        views = [
            v
            for v in views
            if (status is None or v.status.value == status)
            and (kind is None or v.target.kind.value == kind)
            and (tag is None or tag in v.target.tags)
        ]
        page = sort_views(views, sort)[offset : offset + limit]
        write = key.scope is Scope.WRITE
        body: TargetListBody = {
            "targets": [target_json(coordinator, v, now, write=write) for v in page],
            "total": len(views),
            "limit": limit,
            "offset": offset,
        }
        return json_response(body)

    @api_endpoint(Scope.WRITE)
    async def post(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Create a target (a new subentry of the hub)."""
        check_query(request, ())
        body = await read_json_object(request)
        kind = body_kind(body)
        reject_unknown_fields(body, editable_fields(kind))
        data: dict[str, Any] = {}
        apply_fields(data, body)
        if kind is TargetKind.HEARTBEAT:
            data[TOKEN] = new_token()
        await validated(coordinator, data, None)
        subentry = ConfigSubentry(
            data=MappingProxyType(data),
            subentry_type=SUBENTRY_TYPE_TARGET,
            title=str(data[CONF_NAME]),
            unique_id=None,
        )
        # The hub's update listener applies the new subentry to the engine.
        coordinator.hass.config_entries.async_add_subentry(
            coordinator.config_entry, subentry
        )
        target = target_from_data(subentry.subentry_id, data)
        return json_response(
            describe_target(coordinator, target, key), HTTPStatus.CREATED
        )


class TargetItemView(PiAlertView):
    """``/targets/{target_id}``: read, change or delete one target."""

    url = f"{API_PREFIX}/targets/{{target_id}}"
    name = "api:pialert:target"

    @api_endpoint(Scope.READ)
    async def get(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        target_id: str,
    ) -> web.Response:
        """Return one target."""
        check_query(request, ())
        subentry = target_subentry(coordinator, target_id)
        target = target_from_data(target_id, subentry.data)
        return json_response(describe_target(coordinator, target, key))

    @api_endpoint(Scope.WRITE)
    async def patch(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        target_id: str,
    ) -> web.Response:
        """Change some fields of a target (its kind stays)."""
        check_query(request, ())
        subentry = target_subentry(coordinator, target_id)
        body = await read_json_object(request)
        kind = TargetKind(subentry.data[CONF_KIND])
        if CONF_KIND in body and body[CONF_KIND] != kind.value:
            raise bad_request(
                f"Invalid field 'kind': a target's kind cannot change (it is {kind})"
            )
        reject_unknown_fields(body, editable_fields(kind))
        data = dict(subentry.data)
        apply_fields(data, body)
        if (
            CONF_DEPENDS_ON not in body
            and data.get(CONF_DEPENDS_ON)
            and data[CONF_DEPENDS_ON] not in coordinator.config_entry.subentries
        ):
            # It pointed at a target deleted since: the link is gone anyway.
            del data[CONF_DEPENDS_ON]
        await validated(coordinator, data, target_id)
        coordinator.hass.config_entries.async_update_subentry(
            coordinator.config_entry,
            subentry,
            data=data,
            title=str(data[CONF_NAME]),
        )
        target = target_from_data(target_id, data)
        return json_response(describe_target(coordinator, target, key))

    @api_endpoint(Scope.WRITE)
    async def delete(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        target_id: str,
    ) -> web.Response:
        """Delete a target; targets depending on it no longer do."""
        check_query(request, ())
        target_subentry(coordinator, target_id)
        entries = coordinator.hass.config_entries
        entry = coordinator.config_entry
        for other in list(entry.subentries.values()):
            if (
                other.subentry_type == SUBENTRY_TYPE_TARGET
                and other.data.get(CONF_DEPENDS_ON) == target_id
            ):
                entries.async_update_subentry(
                    entry,
                    other,
                    data={k: v for k, v in other.data.items() if k != CONF_DEPENDS_ON},
                )
        entries.async_remove_subentry(entry, target_id)
        deleted: DeletedBody = {"deleted": target_id}
        return json_response(deleted)


class TargetAcknowledgeView(PiAlertView):
    """``/targets/{target_id}/acknowledge``: acknowledge a target's alert."""

    url = f"{API_PREFIX}/targets/{{target_id}}/acknowledge"
    name = "api:pialert:target:acknowledge"

    @api_endpoint(Scope.WRITE)
    async def post(
        self,
        request: web.Request,
        coordinator: PiAlertCoordinator,
        key: ApiKey,
        target_id: str,
    ) -> web.Response:
        """Acknowledge the alert of a target that is down, until it recovers."""
        check_query(request, ())
        subentry = target_subentry(coordinator, target_id)
        body = await read_json_object(request, optional=True)
        reject_unknown_fields(body, ("note",))
        note = body.get("note")
        if note is not None and (
            not isinstance(note, str) or len(note) > MAX_NOTE_LENGTH
        ):
            raise bad_request(
                f"Invalid field 'note': expected a string of at most "
                f"{MAX_NOTE_LENGTH} characters"
            )
        monitor = coordinator.monitor
        try:
            if target_id not in monitor.targets:
                # Created a moment ago and not applied yet: it cannot be down.
                name = str(subentry.data[CONF_NAME])
                raise RefusedError("target_not_down", target=name)
            commands = HubCommands.of(coordinator.config_entry.runtime_data)
            commands.acknowledge([target_id], acted_by(key), note)
        except RefusedError as err:
            raise ApiError(HTTPStatus.CONFLICT, refusal_text(err)) from None
        now = coordinator.now()
        view = monitor.snapshot(now).targets[target_id]
        return json_response(
            target_json(coordinator, view, now, write=key.scope is Scope.WRITE)
        )
