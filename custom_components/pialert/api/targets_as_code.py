"""``/targets/bulk``, ``/targets/export`` and ``/targets/import``: targets as code.

All three change or reveal the whole configuration: they need a key with
write scope, as creating a target does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web
from homeassistant.util.json import json_loads
import yaml  # type: ignore[import-untyped]  # PyYAML ships no types

from ..target_code import (
    Plan,
    async_apply_plan,
    async_plan_bulk,
    async_plan_import,
    export_document,
)
from .base import API_PREFIX, PiAlertView, api_endpoint, json_response
from .keys import ApiKey, Scope
from .request import (
    bad_request,
    check_query,
    choice_param,
    read_bytes,
    reject_unknown_fields,
)

if TYPE_CHECKING:
    from ..coordinator import PiAlertCoordinator

FORMATS: Final = ("json", "yaml")
BOOLEANS: Final = ("true", "false")
YAML_TYPES: Final = frozenset(
    {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}
)
YAML_CONTENT_TYPE: Final = "application/yaml; charset=utf-8"
EXPORT_FILENAME: Final = "pialert-targets"


def to_yaml(document: Mapping[str, Any]) -> str:
    """Return a (plain) document as block-style YAML, keys in their order."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(
        dict(document), Dumper=dumper, sort_keys=False, allow_unicode=True
    )
    return text


def from_yaml(text: str) -> Any:
    """Parse YAML safely: plain data only, no tags that build objects.

    Home Assistant's own loader is not used: it reads ``!secret``,
    ``!include`` and ``!env_var``, which an uploaded document must not.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as err:
        raise bad_request(f"Not valid YAML: {err}") from None


def import_items(document: Any) -> list[Any]:
    """Return the targets of an export document (or of a bare list)."""
    if isinstance(document, list):
        return document
    if isinstance(document, Mapping) and isinstance(document.get("targets"), list):
        reject_unknown_fields(document, ("version", "targets"))
        version = document.get("version", 1)
        if version != 1:
            raise bad_request("Unsupported export version: expected 1")
        return list(document["targets"])
    raise bad_request('Expected an export document: {"targets": [...]}')


async def answer(
    coordinator: PiAlertCoordinator, plan: Plan, *, dry_run: bool
) -> web.Response:
    """Apply a valid plan unless dry, and answer what it did; refuse an invalid one."""
    if plan.errors:
        raise bad_request(plan.error_text())
    if not dry_run:
        await async_apply_plan(coordinator, plan)
    return json_response(plan.summary(dry_run=dry_run))


def flag(query: Mapping[str, str], name: str) -> bool:
    """Return a true/false query parameter (false when absent)."""
    return choice_param(query, name, BOOLEANS) == "true"


class TargetsBulkView(PiAlertView):
    """``PUT /targets/bulk``: the same change on many targets at once."""

    url = f"{API_PREFIX}/targets/bulk"
    name = "api:pialert:targets:bulk"

    @api_endpoint(Scope.WRITE)
    async def put(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Pause, resume, set tags or numbers of the listed targets."""
        check_query(request, ())
        body = await read_body(request)
        if not isinstance(body, Mapping):
            raise bad_request("Request body must be a JSON object")
        reject_unknown_fields(body, ("target_ids", "updates", "dry_run"))
        target_ids, updates = body.get("target_ids"), body.get("updates")
        if (
            not isinstance(target_ids, list)
            or not target_ids
            or not all(isinstance(t, str) for t in target_ids)
        ):
            raise bad_request(
                "Invalid field 'target_ids': expected a list of target ids"
            )
        if not isinstance(updates, Mapping):
            raise bad_request("Invalid field 'updates': expected an object")
        dry_run = body.get("dry_run", False)
        if not isinstance(dry_run, bool):
            raise bad_request("Invalid field 'dry_run': expected true or false")
        plan = await async_plan_bulk(coordinator, target_ids, updates)
        return await answer(coordinator, plan, dry_run=dry_run)


class TargetsExportView(PiAlertView):
    """``GET /targets/export``: every target, to keep in git."""

    url = f"{API_PREFIX}/targets/export"
    name = "api:pialert:targets:export"

    @api_endpoint(Scope.WRITE)
    async def get(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Return every target as JSON or YAML."""
        query = check_query(request, ("format", "secrets"))
        output = choice_param(query, "format", FORMATS) or "json"
        document = export_document(coordinator, secrets=flag(query, "secrets"))
        if output == "json":
            return json_response(document)
        return web.Response(
            body=to_yaml(document).encode(),
            headers={
                "Content-Type": YAML_CONTENT_TYPE,
                "Content-Disposition": f'attachment; filename="{EXPORT_FILENAME}.yaml"',
            },
        )


async def read_body(request: web.Request) -> Any:
    """Return a JSON or (by its content type) YAML request body."""
    raw = await read_bytes(request)  # 1,000 targets take about 300 KiB
    if not raw.strip():
        raise bad_request("Request body is empty")
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        raise bad_request("Request body is not UTF-8 text") from None
    if request.content_type in YAML_TYPES:
        return from_yaml(text)
    try:
        return json_loads(text)
    except ValueError:
        raise bad_request("Request body is not valid JSON") from None


class TargetsImportView(PiAlertView):
    """``POST /targets/import``: create or update targets by name."""

    url = f"{API_PREFIX}/targets/import"
    name = "api:pialert:targets:import"

    @api_endpoint(Scope.WRITE)
    async def post(
        self, request: web.Request, coordinator: PiAlertCoordinator, key: ApiKey
    ) -> web.Response:
        """Import an export document (JSON or YAML); ``dry_run=true`` only plans."""
        query = check_query(request, ("dry_run",))
        dry_run = flag(query, "dry_run")
        items = import_items(await read_body(request))
        plan = await async_plan_import(coordinator, items)
        return await answer(coordinator, plan, dry_run=dry_run)
