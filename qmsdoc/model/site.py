"""The site configuration (qmsdoc.yaml): organisation, language, fonts, paper, people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from qmsdoc.errors import Location
from qmsdoc.model.limits import DEFAULT_LIMITS, Limits


@dataclass(frozen=True)
class FontSpec:
    """Fonts for one kind of text: East Asian and Latin names, and size in points."""

    east_asian: str
    latin: str
    size_pt: float


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres."""

    top: float
    bottom: float
    left: float
    right: float


@dataclass(frozen=True)
class Closure:
    """An organisation-specific non-working day (厂休)."""

    date: dt.date
    reason: str


@dataclass(frozen=True)
class SignatureSettings:
    """`signatures:` in qmsdoc.yaml: electronic signatures on approvals (see qmsdoc.model.signatures).

    When `enabled`, releasing a revision needs a valid signature for each meaning, by three
    different registered people whose roles allow it, and the names and dates printed come from
    the signatures. `roles` names, per meaning, the roles (of `roles:` in qmsdoc.yaml) that may
    give it."""

    enabled: bool = False
    roles: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def roles_for(self, meaning: str) -> tuple[str, ...]:
        return dict(self.roles).get(meaning, ())


SIGNATURES_OFF = SignatureSettings()


@dataclass(frozen=True)
class SiteConfig:
    """qmsdoc.yaml, validated."""

    path: str
    organisation: str
    organisation_short: str
    language: str
    timezone: str
    date_format: str
    paper: str
    margins: Margins
    body_font: FontSpec
    heading_font: FontSpec
    revision_pattern: str
    """Code patterns are kept as written; ids are matched by `load.common.follows` (RE2, linear time)."""
    revision_example: str
    procedure_code: str
    form_code: str
    departments: tuple[str, ...]
    roles: tuple[str, ...]
    closures: tuple[Closure, ...]
    limits: Limits = DEFAULT_LIMITS
    store_path: str | None = None
    """`store: {path: …}`: the records store's SQLite file, relative to the project (None: .qmsdoc/store.sqlite)."""
    capa_due_days: int = 30
    signatures: SignatureSettings = SIGNATURES_OFF
    """`corrective_actions: {due_days: N}`: an audit's corrective actions are due N days after its audit date."""
    locs: dict[str, Location] = field(default_factory=dict, compare=False)
    """Where each setting that can shape a document is written (by its path, e.g. fonts.body);
    the mapping holding it when it is left to its default."""

    def as_template_vars(self) -> dict[str, object]:
        """What a procedure body's Jinja template sees as `site`."""
        return {
            "organisation": {"name": self.organisation, "short": self.organisation_short},
            "language": self.language,
            "timezone": self.timezone,
            "departments": list(self.departments),
            "roles": list(self.roles),
        }
