"""``/api/pialert/v1/targets``: list, create, read, change, delete, acknowledge.

Targets are config subentries of the hub, so the API changes the very same
subentries the UI shows; the hub's update listener applies them to the engine.

This module also holds the request helpers the other v1 views share: strict
query and body parsing, and error texts taken from the integration's
translations (so the API and the UI explain a refusal the same way).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from http import HTTPStatus
import math
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web
from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util.json import json_loads
from yarl import URL

from ..const import DOMAIN, HEARTBEAT_URL, SUBENTRY_TYPE_TARGET
from ..engine.alerting import MonitorError, TargetState, TargetView
from ..engine.config import (
    COMMON_KEYS,
    CONF_DEPENDS_ON,
    CONF_KIND,
    CONF_NAME,
    KIND_KEYS,
    normalize_tags,
    target_from_data,
    validate_target,
)
from ..engine.history import UPTIME_WINDOWS
from ..engine.models import Status, Target, TargetKind
from ..engine.probes.heartbeat import new_token
from ..target_checks import hass_target_errors
from .base import API_PREFIX, ApiError, PiAlertView, api_endpoint, json_response
from .keys import ApiKey, Scope

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator

DEFAULT_LIMIT: Final = 50
MAX_LIMIT: Final = 500
MAX_TEXT_LENGTH: Final = 2048
MAX_TAG_LENGTH: Final = 100
MAX_TAGS: Final = 100
MAX_NOTE_LENGTH: Final = 500

TOKEN: Final = "token"  # noqa: S105 - the field name, not a secret
MASK: Final = "***"

# ``?sort=`` values; a leading ``-`` reverses the order.
SORT_FIELDS: Final = ("name", "status", "kind", "last_check")
SORTS: Final = tuple(f"{prefix}{f}" for f in SORT_FIELDS for prefix in ("", "-"))
# ``sort=status`` puts what needs attention first.
STATUS_ORDER: Final = {
    Status.DOWN: 0,
    Status.UNREACHABLE: 1,
    Status.PENDING: 2,
    Status.UNKNOWN: 3,
    Status.UP: 4,
    Status.PAUSED: 5,
}
LIST_PARAMS: Final = frozenset({"status", "kind", "tag", "sort", "limit", "offset"})


# --- request helpers shared by the v1 views ----------------------------------


def bad_request(detail: str) -> ApiError:
    """Return a 400 error."""
    return ApiError(HTTPStatus.BAD_REQUEST, detail)


def check_query(request: web.Request, allowed: Iterable[str]) -> dict[str, str]:
    """Return the query parameters; refuse unknown and repeated ones."""
    query = request.query
    allowed = frozenset(allowed)
    unknown = sorted(set(query) - allowed)
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise bad_request(f"Unknown query parameter{plural}: {', '.join(unknown)}")
    for name in sorted(set(query)):
        if len(query.getall(name)) > 1:
            raise bad_request(f"Query parameter '{name}' is given more than once")
    return dict(query.items())


def int_param(
    query: Mapping[str, str],
    name: str,
    default: int,
    minimum: int,
    maximum: int | None = None,
) -> int:
    """Return a whole-number query parameter within bounds."""
    raw = query.get(name)
    if raw is None:
        return default
    text = raw.strip()
    value: int | None = None
    if text.isascii() and text.lstrip("-").isdigit() and len(text) <= 18:
        value = int(text)
    if value is None or value < minimum or (maximum is not None and value > maximum):
        wanted = (
            f"a whole number from {minimum} to {maximum}"
            if maximum is not None
            else f"a whole number of at least {minimum}"
        )
        raise bad_request(f"Invalid query parameter '{name}': expected {wanted}")
    return value


def choice_param(
    query: Mapping[str, str], name: str, choices: Iterable[str]
) -> str | None:
    """Return a query parameter that must be one of ``choices``."""
    raw = query.get(name)
    if raw is None:
        return None
    options = list(choices)
    if raw not in options:
        raise bad_request(
            f"Invalid query parameter '{name}': expected one of {', '.join(options)}"
        )
    return raw


async def read_json_object(
    request: web.Request, *, optional: bool = False
) -> dict[str, Any]:
    """Return the request's JSON object body (``{}`` for an optional empty one)."""
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge as err:
        raise ApiError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            f"Request body is too large: {err.text}",
        ) from None
    if not raw.strip():
        if optional:
            return {}
        raise bad_request("Request body must be a JSON object")
    try:
        body = json_loads(raw)
    except ValueError:
        raise bad_request("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


def reject_unknown_fields(body: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Refuse body fields that are not in ``allowed``."""
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise bad_request(f"Unknown field{plural}: {', '.join(unknown)}")


async def _translated(
    hass: HomeAssistant, category: str, key: str, placeholders: Mapping[str, str]
) -> str | None:
    texts = await async_get_translations(hass, "en", category, [DOMAIN])
    text = texts.get(key)
    if text is None:
        return None
    for name, value in placeholders.items():
        text = text.replace("{" + name + "}", value)
    return text


async def field_errors_detail(hass: HomeAssistant, errors: Mapping[str, str]) -> str:
    """Return ``Invalid field 'x': <the UI's text>`` for each field error."""
    parts = []
    for field_name, error_key in sorted(errors.items()):
        text = await _translated(
            hass,
            "config_subentries",
            f"component.{DOMAIN}.config_subentries.{SUBENTRY_TYPE_TARGET}"
            f".error.{error_key}",
            {},
        )
        parts.append(f"Invalid field '{field_name}': {text or error_key}")
    return " ".join(parts)


async def monitor_error_detail(hass: HomeAssistant, err: MonitorError) -> str:
    """Return the human text of an engine refusal."""
    text = await _translated(
        hass,
        "exceptions",
        f"component.{DOMAIN}.exceptions.{err.key}.message",
        err.placeholders,
    )
    return text or err.key


def iso(value: datetime | None) -> str | None:
    """Return a timestamp as ISO 8601, or None."""
    return value.isoformat() if value is not None else None


def acted_by(key: ApiKey) -> str:
    """Return who acts, for acknowledgements, silences and history."""
    return f"API key {key.name}"


# --- targets -------------------------------------------------------------------


def configured(coordinator: PiAlertCoordinator) -> dict[str, Target]:
    """Return the targets as configured (the subentries), by id."""
    return {t.id: t for t in coordinator.configured_targets()}


def target_subentry(coordinator: PiAlertCoordinator, target_id: str) -> ConfigSubentry:
    """Return a target's subentry; 404 when there is none."""
    subentry = coordinator.config_entry.subentries.get(target_id)
    if subentry is None or subentry.subentry_type != SUBENTRY_TYPE_TARGET:
        raise ApiError(HTTPStatus.NOT_FOUND, f"Unknown target: {target_id}")
    return subentry


def effective_view(
    coordinator: PiAlertCoordinator,
    target: Target,
    published: TargetView | None,
    now: datetime,
) -> TargetView:
    """Return a target's view, also while a change is still being applied.

    The published snapshot is used when it shows this very configuration.
    Right after the API changed a subentry, the update listener may not have
    applied it yet: the view is then built from the engine's state (kept when
    what is checked stays the same, as the engine will keep it).
    """
    if published is not None and published.target == target:
        return published
    monitor = coordinator.monitor
    known = monitor.targets.get(target.id)
    state = monitor.states.get(target.id)
    if known is None or state is None or known.check_config() != target.check_config():
        state = TargetState()
    if not target.enabled:
        status = Status.PAUSED
    elif known == target:
        status = monitor.status(target.id)
    else:
        status = state.raw_status()
    silenced = monitor.is_silenced(target, now)
    return state.view(
        target,
        status=status,
        silenced=silenced,
        alerting=status is Status.DOWN
        and state.acknowledgement is None
        and not silenced,
    )


def mask_password(url: str) -> str:
    """Return ``url`` with the password of its user info replaced by ``***``."""
    try:
        parsed = URL(url)
        if parsed.password is None:
            return url
        return str(parsed.with_password(MASK))
    except ValueError:
        return url


def target_json(
    coordinator: PiAlertCoordinator, view: TargetView, now: datetime, *, write: bool
) -> dict[str, Any]:
    """Return a target and its state as the API shows it.

    A heartbeat's token is its secret: it is never shown; keys with write
    scope see the ping URL (which contains it). Read keys see an http
    target's URL without its password.
    """
    target = view.target
    settings = {k: v for k, v in target.settings.items() if k != TOKEN}
    if target.kind is TargetKind.HEARTBEAT and write and TOKEN in target.settings:
        settings["ping_url"] = HEARTBEAT_URL.format(token=target.settings[TOKEN])
    if not write and isinstance(url := settings.get("url"), str):
        settings["url"] = mask_password(url)
    ack = view.acknowledgement
    history = coordinator.monitor.history
    return {
        "id": target.id,
        "name": target.name,
        "kind": target.kind.value,
        "enabled": target.enabled,
        "interval": target.interval,
        "timeout": target.timeout,
        "failure_threshold": target.failure_threshold,
        "success_threshold": target.success_threshold,
        "depends_on": target.depends_on,
        "tags": list(target.tags),
        "settings": settings,
        "status": view.status.value,
        "consecutive_failures": view.consecutive_failures,
        "last_check": iso(view.last_check),
        "last_success": iso(view.last_success),
        "last_error": view.last_error,
        "response_time_ms": (
            round(view.response_time_ms, 3)
            if view.response_time_ms is not None
            else None
        ),
        "cert_days_remaining": view.cert_days_remaining,
        "uptime": {
            window: history.uptime(target.id, now, window) for window in UPTIME_WINDOWS
        },
        "acknowledged": (
            {"by": ack.by, "at": ack.at.isoformat(), "note": ack.note}
            if ack is not None
            else None
        ),
        "silenced": view.silenced,
        "alerting": view.alerting,
    }


def describe_target(
    coordinator: PiAlertCoordinator, target: Target, key: ApiKey
) -> dict[str, Any]:
    """Return one target's JSON from its configuration and current state."""
    now = coordinator.now()
    published = coordinator.data.targets.get(target.id)
    view = effective_view(coordinator, target, published, now)
    return target_json(coordinator, view, now, write=key.scope is Scope.WRITE)


def sort_views(views: list[TargetView], sort: str) -> list[TargetView]:
    """Order views by ``sort``; ties (and never-checked targets) go by name."""
    descending = sort.startswith("-")
    field_name = sort.removeprefix("-")
    ordered = sorted(views, key=lambda v: (v.target.name.casefold(), v.target.id))
    if field_name == "name":
        return ordered[::-1] if descending else ordered
    if field_name == "last_check":
        checked = [v for v in ordered if v.last_check is not None]
        checked.sort(key=lambda v: v.last_check or datetime.min, reverse=descending)
        return checked + [v for v in ordered if v.last_check is None]
    # sorted() is stable, also reversed: equal keys stay in name order.
    if field_name == "status":
        return sorted(ordered, key=lambda v: STATUS_ORDER[v.status], reverse=descending)
    return sorted(ordered, key=lambda v: v.target.kind.value, reverse=descending)


# --- target data from request bodies -----------------------------------------

_STR = "str"
_INT = "int"
_NUMBER = "number"
_BOOL = "bool"
_TAGS = "tags"
_STR_OR_NUMBER = "str_or_number"

# How each field of a target's data is typed in JSON.
FIELD_TYPES: Final[Mapping[str, str]] = {
    "kind": _STR,
    "name": _STR,
    "interval": _INT,
    "timeout": _NUMBER,
    "failure_threshold": _INT,
    "success_threshold": _INT,
    "enabled": _BOOL,
    "depends_on": _STR,
    "tags": _TAGS,
    "url": _STR,
    "method": _STR,
    "accepted_status": _STR,
    "keyword": _STR,
    "keyword_absent": _BOOL,
    "verify_ssl": _BOOL,
    "cert_expiry_days": _INT,
    "host": _STR,
    "port": _INT,
    "count": _INT,
    "hostname": _STR,
    "record_type": _STR,
    "expected": _STR,
    "resolver": _STR,
    "period": _INT,
    "grace": _INT,
    "entity_id": _STR,
    "condition": _STR,
    "value": _STR_OR_NUMBER,
    "for_seconds": _INT,
}
_EXPECTED = {
    _STR: "a string",
    _INT: "a whole number",
    _NUMBER: "a number",
    _BOOL: "true or false",
    _TAGS: f"a list of at most {MAX_TAGS} strings of at most {MAX_TAG_LENGTH} characters",
    _STR_OR_NUMBER: "a string or a number",
}
_REMOVE: Final = object()


def editable_fields(kind: TargetKind) -> frozenset[str]:
    """Return the fields a request body may set for ``kind``."""
    return (COMMON_KEYS | KIND_KEYS[kind]) - {TOKEN}


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def clean_field(name: str, value: Any) -> Any:
    """Return a body field as stored in the subentry, or ``_REMOVE``.

    ``null`` and blank text (except for the name) unset a field, as emptying
    it in the UI does; whole floats become integers; tags are normalised.
    """
    if value is None:
        return _REMOVE
    kind = FIELD_TYPES.get(name, _STR)
    cleaned: Any = None
    if kind == _STR and isinstance(value, str) and len(value) <= MAX_TEXT_LENGTH:
        cleaned = value.strip()
        if not cleaned and name != CONF_NAME:
            return _REMOVE
    elif kind == _INT and _is_number(value) and float(value).is_integer():
        cleaned = int(value)
    elif (kind == _NUMBER and _is_number(value)) or (
        kind == _BOOL and isinstance(value, bool)
    ):
        cleaned = value
    elif kind == _STR_OR_NUMBER and (
        (isinstance(value, str) and len(value) <= MAX_TEXT_LENGTH) or _is_number(value)
    ):
        cleaned = value.strip() if isinstance(value, str) else str(value)
        if not cleaned:
            return _REMOVE
    elif (
        kind == _TAGS
        and isinstance(value, list)
        and len(value) <= MAX_TAGS
        and all(isinstance(t, str) and len(t) <= MAX_TAG_LENGTH for t in value)
    ):
        cleaned = list(normalize_tags(value))
    if cleaned is None:
        raise bad_request(f"Invalid field '{name}': expected {_EXPECTED[kind]}")
    return cleaned


def apply_fields(data: dict[str, Any], body: Mapping[str, Any]) -> None:
    """Merge cleaned body fields into ``data`` (in place)."""
    for name, value in body.items():
        cleaned = clean_field(name, value)
        if cleaned is _REMOVE:
            data.pop(name, None)
        else:
            data[name] = cleaned


def body_kind(body: Mapping[str, Any]) -> TargetKind:
    """Return the kind named in a creation body."""
    if CONF_KIND not in body:
        raise bad_request("Missing field 'kind': one of " + ", ".join(TargetKind))
    raw = body[CONF_KIND]
    if not isinstance(raw, str) or raw not in set(TargetKind):
        raise bad_request(
            "Invalid field 'kind': Unknown kind of target. Expected one of "
            + ", ".join(TargetKind)
        )
    return TargetKind(raw)


async def validated(
    coordinator: PiAlertCoordinator, data: Mapping[str, Any], target_id: str | None
) -> None:
    """Refuse target data that the config flow would refuse too."""
    errors = validate_target(
        data, target_id=target_id, existing=configured(coordinator)
    )
    errors = hass_target_errors(coordinator.hass, data) | errors
    if errors:
        raise bad_request(await field_errors_detail(coordinator.hass, errors))


# --- views -----------------------------------------------------------------------


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
        return json_response(
            {
                "targets": [
                    target_json(coordinator, v, now, write=write) for v in page
                ],
                "total": len(views),
                "limit": limit,
                "offset": offset,
            }
        )

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
        return json_response({"deleted": target_id})


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
        now = coordinator.now()
        try:
            if target_id not in monitor.targets:
                # Created a moment ago and not applied yet: it cannot be down.
                name = str(subentry.data[CONF_NAME])
                raise MonitorError("target_not_down", target=name)
            events = monitor.acknowledge(
                target_id, acted_by(key), now, (note or "").strip() or None
            )
        except MonitorError as err:
            raise ApiError(
                HTTPStatus.CONFLICT,
                await monitor_error_detail(coordinator.hass, err),
            ) from None
        coordinator.async_apply(events)
        view = monitor.snapshot(now).targets[target_id]
        return json_response(
            target_json(coordinator, view, now, write=key.scope is Scope.WRITE)
        )
