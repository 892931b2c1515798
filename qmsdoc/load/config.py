"""qmsdoc.yaml → SiteConfig."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import re2  # type: ignore[import-untyped]

from qmsdoc.errors import Diagnostics, Location, did_you_mean
from qmsdoc.load.common import RE2_OPTIONS, read_source, read_source_text
from qmsdoc.load.reader import MapReader
from qmsdoc.load.shapes import CONFIG, shape_named
from qmsdoc.load.yamlsrc import parse_yaml
from qmsdoc.model.limits import DEFAULT_LIMITS, Limits
from qmsdoc.model.signatures import MEANINGS
from qmsdoc.model.site import SIGNATURES_OFF, Closure, FontSpec, Margins, SignatureSettings, SiteConfig

CONFIG_NAME = "qmsdoc.yaml"
LANGUAGES = ("zh-CN", "en")
PAPERS = ("A4", "Letter")
MAX_PATTERN_CHARS = 200
"""A code pattern describes short ids; a longer one is refused before it is compiled."""
FONT_POINTS = (Decimal(5), Decimal(72))
MARGIN_MM = (Decimal(0), Decimal(80))
DEFAULT_CAPA_DAYS = 30


def _pattern(r: MapReader, key: str, default: str) -> str:
    """A code pattern; RE2 must accept it too, as ids are matched with RE2 (see common.follows)."""
    text = r.text(key) or default
    if len(text) > MAX_PATTERN_CHARS:
        r.diags.error(r.value_loc(key), f"{r.what}: {key}: a pattern of {len(text)} characters "
                                        f"(at most {MAX_PATTERN_CHARS})")
        return default
    try:
        re2.compile(text, RE2_OPTIONS)
        return text
    except re2.error as exc:
        r.diags.error(r.value_loc(key), f"{r.what}: {key}: not a regular expression RE2 accepts "
                                        f"({exc.args[0].decode()})",
                      "code patterns have no look-around or back-references; repeats are at most {1000}")
    return default


def _within(r: MapReader, key: str, default: float, bounds: tuple[Decimal, Decimal], unit: str) -> float:
    """A number under `key` within `bounds` (the default when absent or out of bounds)."""
    value = r.decimal(key)
    if value is None:
        return default
    if not bounds[0] <= value <= bounds[1]:
        r.diags.error(r.value_loc(key), f"{r.what}: {key}: {value} {unit} is not within {bounds[0]}–{bounds[1]} {unit}")
        return default
    return float(value)


def _font(r: MapReader | None, default: FontSpec) -> FontSpec:
    if r is None:
        return default
    spec = FontSpec(
        r.text("east_asian") or default.east_asian,
        r.text("latin") or default.latin,
        _within(r, "size_pt", default.size_pt, FONT_POINTS, "pt"),
    )
    r.finish()
    return spec


def load_config(root: Path, diags: Diagnostics) -> SiteConfig | None:
    path = root / CONFIG_NAME
    rel = CONFIG_NAME
    if not path.is_file():
        diags.error(Location(rel), "site configuration not found",
                    "run qmsdoc in the folder that holds qmsdoc.yaml, or pass --root")
        return None
    raw = read_source(path, rel, DEFAULT_LIMITS, diags)
    text = read_source_text(raw, rel, diags) if raw is not None else None
    node = parse_yaml(text, rel, diags) if text is not None else None
    if node is None:
        return None
    r = MapReader(node, diags, "config", CONFIG)
    org = r.mapping("organisation", required=True)
    org_name = org.text("name", required=True) if org else None
    org_short = (org.text("short") if org else None) or ""
    if org:
        org.finish()
    language = r.enum("language", LANGUAGES) or "zh-CN"
    timezone = r.text("timezone") or "Asia/Shanghai"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        diags.error(r.value_loc("timezone"), f'unknown time zone "{timezone}"', "e.g. Asia/Shanghai")
        timezone = "UTC"
    date_format = r.text("date_format") or "yyyy-MM-dd"
    paper_r = r.mapping("paper")
    paper, margins = "A4", Margins(25, 20, 25, 20)
    if paper_r:
        paper = paper_r.enum("size", PAPERS) or "A4"
        m = paper_r.mapping("margins_mm")
        if m:
            margins = Margins(*(_within(m, k, d, MARGIN_MM, "mm") for k, d in
                                (("top", 25), ("bottom", 20), ("left", 25), ("right", 20))))
            m.finish()
        paper_r.finish()
    fonts = r.mapping("fonts")
    body = _font(fonts.mapping("body") if fonts else None, FontSpec("SimSun", "Times New Roman", 12))
    heading = _font(fonts.mapping("heading") if fonts else None, FontSpec("SimHei", "Arial", body.size_pt))
    if fonts:
        fonts.finish()
    scheme = r.mapping("revision_scheme")
    rev_pattern = _pattern(scheme, "pattern", r"^[A-Z]/[0-9]+$") if scheme else r"^[A-Z]/[0-9]+$"
    rev_example = (scheme.text("example") if scheme else None) or "A/0"
    if scheme:
        scheme.finish()
    codes = r.mapping("codes")
    proc_code = _pattern(codes, "procedure", r"^\S+$") if codes else r"^\S+$"
    form_code = _pattern(codes, "form", r"^\S+$") if codes else r"^\S+$"
    if codes:
        codes.finish()
    departments = _unique(r, "departments")
    roles = _unique(r, "roles")
    limits = _limits(r.mapping("limits"))
    store_path = _store_path(r.mapping("store"))
    capa_days = _capa_days(r.mapping("corrective_actions"))
    signatures = _signatures(r.mapping("signatures"), roles)
    closures = []
    for item in r.seq("closures"):
        c = MapReader(item, diags, "closure", shape_named("closure"))
        day, reason = c.date("date", required=True), c.text("reason") or ""
        c.finish()
        if day:
            closures.append(Closure(day, reason))
    r.finish()
    if not org_name:
        return None
    top = {key: r.value_loc(key) for key in ("language", "timezone", "date_format", "departments", "roles")}
    locs = {**top, "organisation.name": org.value_loc("name") if org else r.loc,
            "organisation.short": org.value_loc("short") if org else r.loc,
            "paper.size": paper_r.value_loc("size") if paper_r else r.loc,
            "paper.margins_mm": paper_r.value_loc("margins_mm") if paper_r else r.loc,
            "fonts.body": fonts.value_loc("body") if fonts else r.loc,
            "fonts.heading": fonts.value_loc("heading") if fonts else r.loc}
    return SiteConfig(
        path=rel, organisation=org_name, organisation_short=org_short, language=language,
        timezone=timezone, date_format=date_format, paper=paper, margins=margins,
        body_font=body, heading_font=heading, revision_pattern=rev_pattern,
        revision_example=rev_example, procedure_code=proc_code, form_code=form_code,
        departments=departments, roles=roles, closures=tuple(sorted(closures, key=lambda c: c.date)),
        limits=limits, locs=locs, store_path=store_path, capa_due_days=capa_days, signatures=signatures,
    )


def _signatures(r: MapReader | None, roles: tuple[str, ...]) -> SignatureSettings:
    """`signatures: {enabled, roles: {prepared: […], reviewed: […], approved: […]}}` (docs/signatures.md)."""
    if r is None:
        return SIGNATURES_OFF
    enabled = r.flag("enabled")
    by_meaning = r.mapping("roles", required=True)
    allowed: list[tuple[str, tuple[str, ...]]] = []
    if by_meaning is not None:
        for meaning in MEANINGS:
            listed = by_meaning.str_list(meaning)
            for role, loc in listed:
                if role not in roles:
                    r.diags.error(loc, f'signatures: roles: {meaning}: "{role}" is not one of roles:',
                                  did_you_mean(role, roles) or f"roles: {', '.join(roles)}")
            if enabled and not listed:
                r.diags.error(by_meaning.loc, f"signatures: roles: no role may sign as {meaning}",
                              f"{meaning}: [a role of roles:]")
            allowed.append((meaning, tuple(role for role, _ in listed)))
        by_meaning.finish()
    r.finish()
    return SignatureSettings(enabled, tuple(allowed))


def _capa_days(r: MapReader | None) -> int:
    """`corrective_actions: {due_days: N}`: days from an audit to the due date of the corrective actions it opens."""
    if r is None:
        return DEFAULT_CAPA_DAYS
    days = r.integer("due_days")
    r.finish()
    if days is None:
        return DEFAULT_CAPA_DAYS
    if not 1 <= days <= 3650:
        r.diags.error(r.value_loc("due_days"), f"corrective_actions: due_days: {days} is not within 1–3650 days")
        return DEFAULT_CAPA_DAYS
    return days


def _store_path(r: MapReader | None) -> str | None:
    """`store: {path: …}`: the SQLite file of the records store, relative to the project (None: the default)."""
    if r is None:
        return None
    path = r.text("path")
    r.finish()
    if path is not None and (not path.strip() or "\0" in path):
        r.diags.error(r.value_loc("path"), "store: path: not a file path", "e.g. .qmsdoc/store.sqlite")
        return None
    return path


def _limits(r: MapReader | None) -> Limits:
    """`limits:` overrides named bounds; each value is a whole number more than 0."""
    if r is None:
        return DEFAULT_LIMITS
    changed: dict[str, int] = {}
    for key in Limits.names():
        if not r.has(key):
            continue
        value = r.integer(key)
        if value is None:
            continue
        if value <= 0:
            r.diags.error(r.value_loc(key), f"limits: {key} must be more than 0, got {value}")
        else:
            changed[key] = value
    r.finish()
    limits = replace(DEFAULT_LIMITS, **changed)
    if not 1 <= limits.year_min <= limits.year_max <= 9998:
        r.diags.error(r.loc, f"limits: years {limits.year_min}–{limits.year_max} must be within 1–9998, "
                             "the earliest first")
        return DEFAULT_LIMITS
    return limits


def _unique(r: MapReader, key: str) -> tuple[str, ...]:
    seen: dict[str, Location] = {}
    for text, loc in r.str_list(key):
        if text in seen:
            r.diags.error(loc, f'{key}: "{text}" is listed twice (first at line {seen[text].line})')
        else:
            seen[text] = loc
    return tuple(seen)
