"""The inputs of a rendering: every value outside a document's own source that shapes its .docx.

A released revision is frozen with its inputs (release.json `inputs`), so that what it was
rendered from can be compared with the sources of today (`qmsdoc lint`) and its snapshot read
back as it was released (redlines, the check of old records).

An input is a key and a JSON value. The key says where the value comes from:

- `site:<path>`: a setting of qmsdoc.yaml, by its path there (`site:organisation.name`,
  `site:fonts.body`, `site:paper.margins_mm`);
- `title:<id>`: the title of another document (the forms a procedure lists, a reference);
- `param:<procedure id>:<name>`: a param of the owning procedure, read by form instructions;
- `label:<key>`: a fixed text of the label catalogue.

A document's own params, body and fields are its source, frozen by its digest, not inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from qmsdoc.model.site import FontSpec, Margins, SiteConfig

Inputs = Mapping[str, Any]
"""Input key → JSON value, as recorded in release.json."""

SITE, TITLE, PARAM, LABEL = "site", "title", "param", "label"
KINDS = (SITE, TITLE, PARAM, LABEL)

LOOK = ("organisation.name", "language", "paper.size", "paper.margins_mm", "fonts.body", "fonts.heading")
"""The settings every controlled document is rendered with (header, page, fonts, properties)."""


def site_key(path: str) -> str:
    return f"{SITE}:{path}"


def title_key(doc_id: str) -> str:
    return f"{TITLE}:{doc_id}"


def param_key(procedure_id: str, name: str) -> str:
    return f"{PARAM}:{procedure_id}:{name}"


def label_key(key: str) -> str:
    return f"{LABEL}:{key}"


def kind_of(key: str) -> str:
    """site, title, param or label."""
    return key.split(":", 1)[0]


def split_param(key: str) -> tuple[str, str]:
    """`param:SJE/ZY/GK-09:copy_days` → ("SJE/ZY/GK-09", "copy_days")."""
    _, rest = key.split(":", 1)
    procedure_id, _, name = rest.rpartition(":")
    return procedure_id, name


def site_value(site: SiteConfig, path: str) -> Any:
    """The JSON value of one setting of qmsdoc.yaml; KeyError for a path that is not an input."""
    getters: dict[str, Any] = {
        "organisation.name": lambda: site.organisation,
        "organisation.short": lambda: site.organisation_short,
        "language": lambda: site.language,
        "timezone": lambda: site.timezone,
        "date_format": lambda: site.date_format,
        "paper.size": lambda: site.paper,
        "paper.margins_mm": lambda: _plain(vars(site.margins)),
        "fonts.body": lambda: _plain(vars(site.body_font)),
        "fonts.heading": lambda: _plain(vars(site.heading_font)),
        "departments": lambda: list(site.departments),
        "roles": lambda: list(site.roles),
    }
    return getters[path]()


def site_with(site: SiteConfig, inputs: Inputs) -> SiteConfig:
    """`site` with the settings recorded in `inputs` as they were then."""
    changes: dict[str, Any] = {}
    for key, value in inputs.items():
        if kind_of(key) != SITE:
            continue
        path = key.split(":", 1)[1]
        if path == "organisation.name":
            changes["organisation"] = value
        elif path == "organisation.short":
            changes["organisation_short"] = value
        elif path in ("language", "timezone", "date_format"):
            changes[path] = value
        elif path == "paper.size":
            changes["paper"] = value
        elif path == "paper.margins_mm":
            changes["margins"] = Margins(**{k: float(v) for k, v in value.items()})
        elif path in ("fonts.body", "fonts.heading"):
            changes[path.replace("fonts.", "") + "_font"] = FontSpec(value["east_asian"], value["latin"],
                                                                    float(value["size_pt"]))
        elif path in ("departments", "roles"):
            changes[path] = tuple(value)
    return replace(site, **changes) if changes else site


def encode(value: object) -> Any:
    """A value as JSON: a decimal param keeps its digits as {"decimal": "0.8"}."""
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


def decode(value: Any) -> Any:
    """The inverse of `encode`."""
    if isinstance(value, dict):
        if set(value) == {"decimal"} and isinstance(value["decimal"], str):
            return Decimal(value["decimal"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    """Numbers that are whole written as whole (12.0 → 12), so JSON reads them back equal."""
    return {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in values.items()}
