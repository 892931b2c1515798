"""A released revision's inputs against today's sources: a change that would re-render it is an error.

A document whose source is still its released revision claims to be what was released. If a
value it was rendered from has changed since (its procedure's param, another document's
title, a site setting), building it today would give another document under the same
revision. That is reported at the line that changed, once per changed value, naming every
released revision it affects and what to do. Label texts are left out: they change with
qmsdoc itself, not with the sources, and a released revision is published as released anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qmsdoc.errors import Diagnostics, Location
from qmsdoc.model.documents import Form, Procedure
from qmsdoc.model.inputs import PARAM, SITE, TITLE, encode, kind_of, site_value, split_param
from qmsdoc.model.releases import Release, next_amendment
from qmsdoc.model.site import SiteConfig

_GONE = object()
"""The value of an input that no longer exists (a param or document removed)."""
SHOWN = 6
"""How many affected revisions a message names before it counts the rest."""


def check_inputs(site: SiteConfig, procedures: Mapping[str, Procedure], forms: Mapping[str, Form],
                 releases: Mapping[str, tuple[Release, ...]], diags: Diagnostics) -> None:
    """Report every input of a released revision that today's sources give another value."""
    changed: dict[str, tuple[Any, Any, list[Release]]] = {}
    docs: list[Procedure | Form] = [*procedures.values(), *forms.values()]
    for doc in docs:
        release = next((r for r in releases.get(doc.id, ()) if r.revision == doc.revision), None)
        if release is None or release.inputs is None or release.source.digest != doc.digest:
            continue  # not released, released before inputs were kept, or already an error
        for key, then in release.inputs.items():
            if kind_of(key) not in (SITE, TITLE, PARAM):
                continue
            now = _current(key, site, procedures, forms)
            if now is _GONE or encode(now) != then:
                changed.setdefault(key, (then, now, []))[2].append(release)
    for key, (then, now, affected) in sorted(changed.items()):
        diags.error(_where(key, site, procedures, forms), _message(key, then, now, affected),
                    _hint(key, then, affected))


def _current(key: str, site: SiteConfig, procedures: Mapping[str, Procedure], forms: Mapping[str, Form]) -> Any:
    kind, rest = key.split(":", 1)
    if kind == SITE:
        try:
            return site_value(site, rest)
        except KeyError:
            return _GONE
    if kind == TITLE:
        doc = procedures.get(rest) or forms.get(rest)
        return doc.title if doc is not None else _GONE
    procedure_id, name = split_param(key)
    proc = procedures.get(procedure_id)
    return proc.params.get(name, _GONE) if proc is not None else _GONE


def _where(key: str, site: SiteConfig, procedures: Mapping[str, Procedure], forms: Mapping[str, Form]) -> Location:
    """The line that holds the value today (the document or file when it is gone)."""
    kind, rest = key.split(":", 1)
    if kind == SITE:
        return site.locs.get(rest, Location(site.path, 1, 1))
    if kind == TITLE:
        doc = procedures.get(rest) or forms.get(rest)
        return doc.locs.get("title", Location(doc.path, 1, 1)) if doc else Location(site.path, 1, 1)
    procedure_id, name = split_param(key)
    proc = procedures.get(procedure_id)
    if proc is None:
        return Location(site.path, 1, 1)
    return proc.locs.get(f"params:{name}", Location(proc.path, 1, 1))


def _shown(value: Any) -> str:
    if value is _GONE:
        return "gone"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict) and set(value) == {"decimal"}:
        return str(value["decimal"])
    return str(encode(value))


def _names(affected: list[Release]) -> str:
    names = [f"{r.id} {r.revision}" for r in sorted(affected, key=lambda r: r.id)]
    more = len(names) - SHOWN
    return ", ".join(names[:SHOWN]) + (f" and {more} more" if more > 0 else "")


def _message(key: str, then: Any, now: Any, affected: list[Release]) -> str:
    kind, rest = key.split(":", 1)
    what = {SITE: rest, TITLE: f"the title of {rest}"}.get(kind)
    if what is None:
        procedure_id, name = split_param(key)
        what = f"params.{name} of {procedure_id}"
    state = "was removed" if now is _GONE else f"is now {_shown(now)}"
    count = len(affected)
    return (f"{what} {state}, but {count} released revision{'s' if count > 1 else ''} "
            f"{'were' if count > 1 else 'was'} rendered with {_shown(then)}: {_names(affected)}")


def _hint(key: str, then: Any, affected: list[Release]) -> str:
    first = sorted(affected, key=lambda r: r.id)[0]
    bump = next_amendment(first.revision)
    example = f"{first.id} {bump}" if bump else f"{first.id} a new revision"
    return (f"a released revision never changes: keep {_shown(then)}, or give "
            f"{'each of them' if len(affected) > 1 else 'it'} a new revision (e.g. {example}) with a history "
            "entry and release it; its released file stays published until then")
