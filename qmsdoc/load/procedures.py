"""procedures/*.md → Procedure: front matter, Jinja body, Markdown blocks and clauses."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from qmsdoc.errors import Diagnostics, Location, did_you_mean
from qmsdoc.load.body import parse_body
from qmsdoc.load.common import (
    LIFECYCLE_KEYS,
    check_history,
    check_signoffs,
    read_history,
    read_identity,
    read_signoff,
    read_source,
    read_source_text,
)
from qmsdoc.load.reader import MapReader, to_decimal, to_int
from qmsdoc.load.shapes import PROCEDURE
from qmsdoc.load.template import Recorder, render_body
from qmsdoc.load.yamlsrc import YScalar, parse_yaml
from qmsdoc.model.documents import ListNumbering, ParamValue, Procedure, Signoff
from qmsdoc.model.inputs import encode
from qmsdoc.model.numbering import format_names
from qmsdoc.model.site import SiteConfig

_FENCE = re.compile(r"^---\s*$")
_PARAM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def split_front_matter(text: str, path: str, diags: Diagnostics) -> tuple[str, str, int] | None:
    """(front matter, body, line number where the body starts - 1), or None if there is none."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        diags.error(Location(path, 1, 1), "missing front matter",
                    "start the file with a line '---', the YAML keys, and another '---'")
        return None
    for k in range(1, len(lines)):
        if _FENCE.match(lines[k]):
            return "\n".join(lines[1:k]), "\n".join(lines[k + 1:]), k + 1
    diags.error(Location(path, 1, 1), "front matter is not closed", "add a line '---' after the YAML keys")
    return None


def load_procedure(path: Path, rel: str, site: SiteConfig, diags: Diagnostics) -> Procedure | None:
    raw = read_source(path, rel, site.limits, diags)
    text = read_source_text(raw, rel, diags) if raw is not None else None
    if raw is None or text is None:
        return None
    parts = split_front_matter(text, rel, diags)
    if parts is None:
        return None
    front, body_text, body_offset = parts
    node = parse_yaml(front, rel, diags, line_offset=1)
    if node is None:
        return None
    r = MapReader(node, diags, "procedure", PROCEDURE)
    pid, title, revision, status = read_identity(r, site, "procedure")
    owner = r.text("owner", required=True)
    if owner and owner not in site.departments:
        diags.error(r.value_loc("owner"), f'unknown department "{owner}"',
                    did_you_mean(owner, site.departments) or "add it to departments in qmsdoc.yaml")
    prepared, reviewed, approved = (read_signoff(r, k) for k in ("prepared", "reviewed", "approved"))
    effective = r.date("effective")
    review_months = r.months("review_period")
    numbering = _read_numbering(r, diags)
    history = read_history(r, diags)
    check_history(r, revision, history, diags)
    forms = tuple(t for t, _ in r.str_list("forms"))
    related = tuple(t for t, _ in r.str_list("related"))
    params = _read_params(r, diags)
    sub = r.mapping("params")
    params_locs = {f"params:{key}": sub.value_loc(key) for key in params} if sub else {}
    locs = {key: r.value_loc(key) for key in ("forms", "related", "owner", "review_period", *LIFECYCLE_KEYS)}
    locs.update({f"forms:{t}": loc for t, loc in r.str_list("forms")})
    locs.update({f"related:{t}": loc for t, loc in r.str_list("related")})
    locs.update(params_locs)
    r.finish()
    _check_approvals(r, status, prepared, reviewed, approved, effective, diags, signed=site.signatures.enabled)

    variables: dict[str, Mapping[str, object]] = {"params": dict(params), "site": site.as_template_vars()}
    recorder = Recorder({"site": "site:"})  # its own params are its source, not inputs
    rendered = render_body(body_text, variables, rel, body_offset, diags, site.limits, "procedure bodies",
                           recorder=recorder)
    if rendered is None or not (pid and title and revision and status and owner):
        return None
    blocks, clauses = parse_body(rendered, rel, body_offset, numbering, diags, source=body_text)
    return Procedure(
        id=pid, title=title, revision=revision, status=status, owner=owner,
        prepared=prepared, reviewed=reviewed, approved=approved, effective=effective,
        review_months=review_months, numbering=numbering, history=history, forms=forms,
        related=related, params=params, body=blocks, clauses=clauses, path=rel,
        digest=hashlib.sha256(raw).hexdigest(), locs=locs, inputs=encode(recorder.inputs()),
    )


def _read_numbering(r: MapReader, diags: Diagnostics) -> ListNumbering:
    sub = r.mapping("numbering")
    if sub is None:
        return ListNumbering()
    result = {}
    for key, for_lists in (("headings", False), ("lists", True)):
        names = []
        for name, loc in sub.str_list(key):
            allowed = format_names(for_lists)
            if name not in allowed:
                diags.error(loc, f'unknown numbering format "{name}"',
                            did_you_mean(name, allowed) or f"one of: {', '.join(allowed)}")
            else:
                names.append(name)
        result[key] = tuple(names)
    sub.finish()
    return ListNumbering(result["headings"], result["lists"] or ("arabic-dot",))


def _read_params(r: MapReader, diags: Diagnostics) -> dict[str, ParamValue]:
    sub = r.mapping("params")
    out: dict[str, ParamValue] = {}
    if sub is None:
        return out
    for key, value in sub.items():
        loc = sub.key_loc(key)
        if not _PARAM_NAME.match(key):
            diags.error(loc, f'parameter name "{key}" must be lower_snake_case')
            continue
        if isinstance(value, YScalar) and value.quoted:
            out[key] = value.text
        elif isinstance(value, YScalar) and re.fullmatch(r"-?[0-9]+", value.text):
            out[key] = to_int(value, diags, f"params: {key}") or 0
        elif isinstance(value, YScalar) and re.fullmatch(r"-?[0-9]+\.[0-9]+", value.text):
            out[key] = to_decimal(value, diags, f"params: {key}") or Decimal(0)
        else:
            diags.error(value.loc, f"params: {key}: expected a number or a quoted text",
                        'write e.g. 10, 0.8 or "12月"')
    return out


def _check_approvals(r: MapReader, status: str | None, prepared: Signoff | None, reviewed: Signoff | None,
                     approved: Signoff | None, effective: dt.date | None, diags: Diagnostics, *,
                     signed: bool = False) -> None:
    """An effective or approved document names who prepared, reviewed and approved it, and when;
    with `signed` (electronic signatures enabled), the signatures name them instead."""
    check_signoffs(r, status, prepared, reviewed, approved, effective, diags, required=not signed)
    if status == "effective" and effective is None and "effective" not in r.failed:
        diags.error(r.key_loc("status"), 'an effective document needs an "effective" date')
