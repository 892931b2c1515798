"""The shape of every mapping a source holds: its keys, their types, which are required.

One declaration serves two readers. `MapReader` (reader.py) takes the shape of the mapping it
reads: each accessor checks that its key is declared with a type it can read (else
`UndeclaredKey`, a programming error the test suite catches), and `finish()` reports keys the
shape does not declare, with a "did you mean" from the declared ones. `qmsdoc/schema.py` turns
the same shapes into the JSON Schemas editors use for completion and checking. So the schemas
cannot drift from what the loader accepts: a key the loader reads is a key the schema knows.

The shapes say what can be said per key (type, required, choices, "only for these field types")
and which keys go together (exactly one kind of check …). What needs the rest of the project
(a department of qmsdoc.yaml, a clause of the procedure, a field of the form) stays with the
loaders' own checks. The descriptions are shown by editors on hover: they come from
docs/*-format.md and say in one line what the key does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qmsdoc.model.documents import ORIENTATIONS, SIGNATURE_MEANINGS, STATUSES, FieldType
from qmsdoc.model.limits import Limits
from qmsdoc.model.numbering import format_names
from qmsdoc.model.rules import KINDS, PERIODS, UNITS, Severity


class UndeclaredKey(AssertionError):
    """A loader read a key its shape does not declare, or read it as another type: a bug in qmsdoc,
    never in a source (so it is an AssertionError, which no caller catches)."""


# -- value types ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scalar:
    """One value: `text` (any single value, kept as written), `integer`, `decimal`, `bool` (true or
    false only), `date` (YYYY-MM-DD), `period` ("24 months", "3 years") or `param` (a number or a
    quoted text)."""

    kind: str


@dataclass(frozen=True)
class Choice:
    """One text out of a fixed list."""

    choices: tuple[str, ...]


@dataclass(frozen=True)
class ListOf:
    """A list whose items are all of one type."""

    item: ValueType


@dataclass(frozen=True)
class MapOf:
    """A mapping of the shape named `shape` (by name, so shapes may nest themselves)."""

    shape: str


@dataclass(frozen=True)
class OneOf:
    """Any of several types (a field reference or a list of them; a period or "permanent")."""

    options: tuple[ValueType, ...]


ValueType = Scalar | Choice | ListOf | MapOf | OneOf

TEXT = Scalar("text")
INTEGER = Scalar("integer")
DECIMAL = Scalar("decimal")
BOOL = Scalar("bool")
DATE = Scalar("date")
PERIOD = Scalar("period")
PARAM = Scalar("param")
TEXTS = ListOf(TEXT)


@dataclass(frozen=True)
class When:
    """A key that applies only when another key of the same mapping has one of `values`."""

    key: str
    values: tuple[str, ...]
    said: str
    """How the condition reads in a message: 'choice and multichoice fields'."""


@dataclass(frozen=True)
class Key:
    name: str
    type: ValueType
    description: str
    required: bool = False
    """With `only`: required when the condition holds."""
    only: When | None = None


@dataclass(frozen=True)
class Shape:
    """The keys of one kind of mapping; `extra`: the type of any other key (a free mapping, whose
    keys follow `extra_names` when given)."""

    name: str
    description: str
    keys: tuple[Key, ...]
    extra: ValueType | None = None
    extra_names: str | None = None
    exactly_one: tuple[tuple[str, ...], ...] = ()
    """Groups of keys of which exactly one must be given."""
    at_least_one: tuple[tuple[str, ...], ...] = ()
    at_most_one: tuple[tuple[str, ...], ...] = ()
    _index: dict[str, Key] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.name in SHAPES:  # MapOf refers to shapes by name: two of one name would be one silently lost
            raise ValueError(f'two shapes are named "{self.name}"')
        self._index.update((k.name, k) for k in self.keys)
        SHAPES[self.name] = self

    def key(self, name: str) -> Key | None:
        return self._index.get(name)

    def type_of(self, name: str) -> ValueType | None:
        """The declared type of `name` (a free key: `extra`), or None when the shape has no such key."""
        declared = self._index.get(name)
        return declared.type if declared is not None else self.extra

    def names(self) -> list[str]:
        return [k.name for k in self.keys]


SHAPES: dict[str, Shape] = {}
"""Every shape by name (MapOf refers to them by name)."""


def shape_named(name: str) -> Shape:
    return SHAPES[name]


# -- shared pieces ----------------------------------------------------------------------------

SIGNOFF = Shape("signoff", "A sign-off: who, and on which day.", (
    Key("name", TEXT, "The person's name.", required=True),
    Key("date", DATE, "The day they signed, YYYY-MM-DD.", required=True),
))

HISTORY_ENTRY = Shape("history_entry", "One revision of the document, oldest first; the last is the current one.", (
    Key("revision", TEXT, "The revision, written as revision_scheme.pattern of qmsdoc.yaml asks.", required=True),
    Key("date", DATE, "The day the revision came into force, YYYY-MM-DD.", required=True),
    Key("by", TEXT, "Who made the revision.", required=True),
    Key("description", TEXT, "What changed.", required=True),
))


def _document_keys(kind: str) -> tuple[Key, ...]:
    """The keys every controlled document (procedure or form) starts with."""
    return (
        Key("id", TEXT, f"The document number; matches codes.{kind} in qmsdoc.yaml.", required=True),
        Key("title", TEXT, "The document's title.", required=True),
        Key("revision", TEXT, "The current revision; matches revision_scheme.pattern in qmsdoc.yaml.",
            required=True),
        Key("status", Choice(STATUSES), "draft | approved | effective | obsolete.", required=True),
        Key("prepared", MapOf("signoff"), "编制: {name, date} of who prepared this revision."),
        Key("reviewed", MapOf("signoff"), "审核: {name, date} of who reviewed it (on or after prepared)."),
        Key("approved", MapOf("signoff"),
            "批准: {name, date} of who approved it (on or after reviewed, on or before effective)."),
        Key("effective", DATE, "The day this revision takes effect, YYYY-MM-DD (required when effective)."),
        Key("history", ListOf(MapOf("history_entry")),
            "Revision history, oldest first; the last entry is the current revision.", required=True),
    )


# -- qmsdoc.yaml ------------------------------------------------------------------------------

Shape("organisation", "The organisation the documents belong to.", (
    Key("name", TEXT, "Full name, printed in every document's header.", required=True),
    Key("short", TEXT, "Short name, used in templates and the identifiers of generated files."),
))
Shape("paper", "Page set-up of every generated document.", (
    Key("size", Choice(("A4", "Letter")), "Paper size: A4 (default) or Letter."),
    Key("margins_mm", MapOf("margins"), "Page margins in millimetres, each 0–80."),
))
Shape("margins", "Page margins in millimetres, each 0–80; one left out keeps its default.", tuple(
    Key(side, DECIMAL, f"The {side} margin in millimetres (default {default}).")
    for side, default in (("top", 25), ("bottom", 20), ("left", 25), ("right", 20))
))
Shape("fonts", "Fonts of generated documents.", (
    Key("body", MapOf("font"), "Body text: {east_asian, latin, size_pt} (default SimSun, Times New Roman, 12)."),
    Key("heading", MapOf("font"), "Headings and titles: {east_asian, latin, size_pt} (default SimHei, Arial)."),
))
Shape("font", "A font for Chinese (East Asian) characters, one for the others, and a size.", (
    Key("east_asian", TEXT, "The font for Chinese (East Asian) characters."),
    Key("latin", TEXT, "The font for the other characters."),
    Key("size_pt", DECIMAL, "The size in points, 5–72."),
))
Shape("revision_scheme", "How revisions are written.", (
    Key("pattern", TEXT, "Regular expression (RE2, at most 200 characters) every revision must match; "
                         "default '^[A-Z]/[0-9]+$'."),
    Key("example", TEXT, "A revision as the pattern asks, shown in hints and given to new documents; default A/0."),
))
Shape("codes", "How document numbers are written.", (
    Key("procedure", TEXT, "Regular expression (RE2) every procedure id must match; default '^\\S+$'."),
    Key("form", TEXT, "Regular expression (RE2) every form id must match; default '^\\S+$'."),
))
Shape("limits", "Bounds on input, so that no file costs minutes or gigabytes; each a whole number more than 0.",
      tuple(Key(name, INTEGER, f"The bound {name} (see docs/config-format.md, limits).") for name in Limits.names()))
Shape("store", "The records store (qmsdoc db, qmsdoc records).", (
    Key("path", TEXT, "The store's SQLite file, relative to the project; default .qmsdoc/store.sqlite."),
))
Shape("corrective_actions", "Corrective actions opened from audits.", (
    Key("due_days", INTEGER, "Days from an audit to the due date of the corrective actions it opens (1–3650; "
                             "default 30)."),
))
Shape("closure", "A non-working day of the organisation's own (厂休).", (
    Key("date", DATE, "The day, YYYY-MM-DD.", required=True),
    Key("reason", TEXT, "Why, for the reader of the file (厂休)."),
))

Shape("signature_roles", "Per meaning, the roles (of roles:) that may sign it.", (
    Key("prepared", TEXTS, "Roles that may sign as prepared (编制)."),
    Key("reviewed", TEXTS, "Roles that may sign as reviewed (审核)."),
    Key("approved", TEXTS, "Roles that may sign as approved (批准)."),
))
Shape("electronic_signatures", "Electronic signatures on approvals (docs/signatures.md).", (
    Key("enabled", BOOL, "true: releasing needs the three signatures, and the names and dates printed come "
                         "from them; default false."),
    Key("roles", MapOf("signature_roles"), "Per meaning (prepared, reviewed, approved), the roles that may sign it.",
        required=True),
))

CONFIG = Shape("config", "qmsdoc.yaml: what every document of the set shares.", (
    Key("organisation", MapOf("organisation"), "The organisation the documents belong to.", required=True),
    Key("language", Choice(("zh-CN", "en")), "The language of every fixed text: zh-CN (default) or en."),
    Key("timezone", TEXT, "IANA time-zone name date-times without a zone are read in; default Asia/Shanghai."),
    Key("date_format", TEXT, "Word date picture of the blank forms' date pickers; default yyyy-MM-dd."),
    Key("paper", MapOf("paper"), "Page set-up: size and margins_mm."),
    Key("fonts", MapOf("fonts"), "Fonts of generated documents: body and heading."),
    Key("revision_scheme", MapOf("revision_scheme"), "How revisions are written: pattern and example."),
    Key("codes", MapOf("codes"), "How document numbers are written: procedure and form patterns."),
    Key("departments", TEXTS, "The departments a procedure's owner may name (no repeats)."),
    Key("roles", TEXTS, "The roles a form's signature field may name (no repeats)."),
    Key("limits", MapOf("limits"), "Bounds on input, by name."),
    Key("store", MapOf("store"), "The records store: its path."),
    Key("corrective_actions", MapOf("corrective_actions"), "Corrective actions opened from audits: due_days."),
    Key("closures", ListOf(MapOf("closure")), "The organisation's own non-working days: {date, reason}."),
    Key("signatures", MapOf("electronic_signatures"), "Electronic signatures on approvals: enabled, and the roles per "
                                                               "meaning."),
))


# -- procedure front matter -------------------------------------------------------------------

Shape("numbering", "How headings and ordered lists are numbered.", (
    Key("headings", ListOf(Choice(tuple(format_names(False)))),
        "Number format per heading level; the last one repeats (omit for unnumbered headings)."),
    Key("lists", ListOf(Choice(tuple(format_names(True)))),
        "Number format per ordered-list depth; default [arabic-dot]."),
))

PROCEDURE = Shape("procedure", "The front matter of a procedure (procedures/*.md, between the --- lines).", (
    *_document_keys("procedure"),
    Key("owner", TEXT, "The owning department: one of departments in qmsdoc.yaml.", required=True),
    Key("review_period", PERIOD, 'How often the procedure is reviewed: "N months" or "N years".'),
    Key("numbering", MapOf("numbering"), "Number formats of headings and ordered lists."),
    Key("forms", TEXTS, "The ids of the forms this procedure requires."),
    Key("related", TEXTS, "The ids of related procedures."),
    Key("params", MapOf("params"), "Named values used in the body ({{ params.NAME }}) and by rules."),
))
Shape("params", "Named values: each a number or a quoted text; names lower_snake_case.", (),
      extra=PARAM, extra_names=r"^[a-z][a-z0-9_]*$")


# -- form definitions -------------------------------------------------------------------------

_CHOICES = When("type", (FieldType.CHOICE.value, FieldType.MULTICHOICE.value), "choice and multichoice fields")
_SIGNATURES = When("type", (FieldType.SIGNATURE.value,), "signature fields")
_NUMBERS = When("type", (FieldType.NUMBER.value, FieldType.MONEY.value), "number and money fields")
_TABLES = When("type", (FieldType.TABLE.value,), "table fields")


def _entry_keys(types: tuple[str, ...]) -> tuple[Key, ...]:
    """The keys of a field (or of a table column, whose `types` leave out tables and signatures)."""
    return (
        Key("id", TEXT, "Stable id: lower_snake_case ([a-z][a-z0-9_]*), unique in the form.", required=True),
        Key("label", TEXT, "The label printed on the form.", required=True),
        Key("type", Choice(types), "The kind of entry: " + ", ".join(types) + ".", required=True),
        Key("required", BOOL, "Whether a filled record must have it (default false)."),
        Key("help", TEXT, "Shown in Word's control title; never printed."),
        Key("width", Choice(("half", "full")), "half (shares its row with the next half field) or full."),
        Key("planned", BOOL, "A planned date (a deadline, a due date), not a done one: date and datetime only."),
        Key("single_box", BOOL, "A checkbox printed as one box □是 instead of □是 □否."),
        Key("options", ListOf(MapOf("option")), "The options: {value, label} each.", required=True, only=_CHOICES),
        Key("role", TEXT, "The role that signs: one of roles in qmsdoc.yaml.", required=True, only=_SIGNATURES),
        Key("meaning", Choice(SIGNATURE_MEANINGS), "What the signature means: " + " | ".join(SIGNATURE_MEANINGS) + ".",
            only=_SIGNATURES),
        Key("min", DECIMAL, "The least value allowed.", only=_NUMBERS),
        Key("max", DECIMAL, "The greatest value allowed.", only=_NUMBERS),
        Key("unit", TEXT, "The unit printed after the value.", only=_NUMBERS),
        Key("columns", ListOf(MapOf("column")), "The table's columns (not tables or signatures).",
            required=True, only=_TABLES),
        Key("min_rows", INTEGER, "The fewest filled rows (0–200).", only=_TABLES),
        Key("max_rows", INTEGER, "The most filled rows (up to 200).", only=_TABLES),
        Key("rows", INTEGER, "Empty rows printed on the blank form (default min(max_rows, 5)).", only=_TABLES),
    )


_ALL_TYPES = tuple(t.value for t in FieldType)
Shape("field", "One entry of the form.", _entry_keys(_ALL_TYPES))
Shape("column", "One column of a table field.",
      _entry_keys(tuple(t for t in _ALL_TYPES if t not in (FieldType.TABLE.value, FieldType.SIGNATURE.value))))
Shape("option", "One option of a choice: the stored value and the label shown.", (
    Key("value", TEXT, "The value stored in a filled record (unique in the field).", required=True),
    Key("label", TEXT, "The label printed beside its tick box.", required=True),
))
Shape("section", "A block of rows of the form's table.", (
    Key("title", TEXT, "The section's title.", required=True),
    Key("fields", ListOf(MapOf("field")), "The section's fields.", required=True),
))

FORM = Shape("form", "A form definition (forms/*.yaml).", (
    *_document_keys("form"),
    Key("procedure", TEXT, "The id of the owning procedure.", required=True),
    Key("clause", TEXT, "The clause of that procedure that requires the form.", required=True),
    Key("retention", OneOf((PERIOD, Choice(("permanent", "永久")))),
        'How long a filled record is kept: "N years", "N months" or permanent.'),
    Key("copies", INTEGER, "Copies made of a filled form (一式两份 → 2), 1–100."),
    Key("instructions", TEXT, "Printed as 填写说明 under the header; may use the procedure's {{ params.NAME }}."),
    Key("dated_by", TEXT, "The field that dates a filled record: a date, date-time or signature field, not planned."),
    Key("orientation", Choice(ORIENTATIONS), "auto (default), portrait or landscape."),
    Key("sections", ListOf(MapOf("section")), "The form's sections of fields.", required=True),
))


# -- rules files ------------------------------------------------------------------------------

REF = TEXT
"""A field reference (returned_on, leader.date, staff.name, match.returned_on)."""
EXPR = TEXT
"""An expression (see docs/rule-format.md, Expressions); a number or true/false is one too."""
REFS = OneOf((TEXT, ListOf(TEXT)))

Shape("signatures", "Signatures that are signed, and pairs that are signed by different people.", (
    Key("of", REFS, "The signature fields that must have a name and a date.", required=True),
    Key("distinct", ListOf(ListOf(TEXT)), "Pairs signed by different people, e.g. [[compiler, approver]]."),
))
Shape("order", "Dates that come in order.", (
    Key("of", REFS, "The date fields, earliest first (at least two).", required=True),
    Key("strict", BOOL, "a < b < c instead of a ≤ b ≤ c."),
))
Shape("deadline", "A date that comes within a time after another, or on or before a day.", (
    Key("to", REF, "The date field that has the deadline.", required=True),
    Key("from", REF, "The date field the time counts from (with within)."),
    Key("within", EXPR, "The time allowed: a whole number or an expression such as params.NAME."),
    Key("unit", Choice(UNITS), "calendar_days (default), working_days, hours, months or years."),
    Key("roll", BOOL, "Move a last day that is not a working day to the next working day (default true)."),
    Key("by", EXPR, "An expression giving the last day (instead of from and within)."),
    Key("inclusive", BOOL, "With by: on or before the day (default true); false for strictly before."),
), exactly_one=(("from", "by"),))
Shape("lead_time", "A notice that comes at least a time before an event.", (
    Key("notice", REF, "The date field of the notice.", required=True),
    Key("event", REF, "The date field of the event.", required=True),
    Key("at_least", EXPR, "The least time between them: a whole number or an expression.", required=True),
    Key("unit", Choice(UNITS), "hours (default), calendar_days, working_days, months or years."),
))
Shape("allowed", "The values a choice (or a column) may or may not have.", (
    Key("field", REF, "The choice field or table column.", required=True),
    Key("values", TEXTS, "The allowed option values."),
    Key("forbidden", TEXTS, "The option values that are not allowed."),
), exactly_one=(("values", "forbidden"),))
Shape("limit", "Bounds on a number.", (
    Key("value", EXPR, "An expression giving the number checked.", required=True),
    Key("min", EXPR, "The least it may be."),
    Key("max", EXPR, "The greatest it may be."),
    Key("equals", EXPR, "The value it must equal."),
), at_least_one=(("min", "max", "equals"),))
Shape("frequency", "At least so many records of the form in each period.", (
    Key("date", REF, "The date field that places a record in a period.", required=True),
    Key("per", Choice(PERIODS), "The period: " + ", ".join(PERIODS) + ".", required=True),
    Key("at_least", EXPR, "Records needed per period (default 1)."),
))
Shape("coverage", "Everyone on the population form in a period has a record of this form in it.", (
    Key("key", REF, "The text field naming whom a record is for.", required=True),
    Key("date", REF, "The date field that places a record in a period.", required=True),
    Key("per", Choice(PERIODS), "The period: " + ", ".join(PERIODS) + ".", required=True),
    Key("population", MapOf("population"), "Where the population comes from: {form, key, date}.", required=True),
))
Shape("population", "The form whose records name who must be covered.", (
    Key("form", TEXT, "The id of the population form.", required=True),
    Key("key", REF, "Its text field naming whom.", required=True),
    Key("date", REF, "Its date field.", required=True),
))
Shape("match", "Pair each record with the record of another form whose fields equal ours.", (
    Key("form", TEXT, "The id of the other form.", required=True),
    Key("on", MapOf("match_on"), "Pairs our_field: their_field that must be equal.", required=True),
    Key("required", BOOL, "A record without a matching record is a finding (default true)."),
))
Shape("match_on", "Pairs our_field: their_field.", (), extra=REF)

_KIND_TYPES: dict[str, tuple[ValueType, str]] = {
    "required": (REFS, "Each value is present: [a, b, table.column]."),
    "signatures": (OneOf((TEXT, ListOf(TEXT), MapOf("signatures"))),
                   "Each signature has a name and a date: [s1, s2] or {of: [...], distinct: [[s1, s2]]}."),
    "order": (OneOf((TEXT, ListOf(TEXT), MapOf("order"))), "Dates in order: [a, b, c] or {of: [...], strict: true}."),
    "deadline": (MapOf("deadline"), "{from, to, within, unit, roll} or {to, by, inclusive}."),
    "lead_time": (MapOf("lead_time"), "{notice, event, at_least, unit}."),
    "allowed": (MapOf("allowed"), "{field, values: [...]} or {field, forbidden: [...]}."),
    "limit": (MapOf("limit"), "{value, min, max, equals}: expressions giving numbers."),
    "expect": (EXPR, "A condition that must hold."),
    "frequency": (MapOf("frequency"), "{date, per, at_least} over all records of the form."),
    "coverage": (MapOf("coverage"), "{key, date, per, population: {form, key, date}}."),
    "unique": (REFS, "No two records share these values: [a, b]."),
}
"""Each kind of check as a rule writes it (a single text stands for a list of one, as the loader reads it)."""
assert tuple(_KIND_TYPES) == KINDS, "every kind of check has a declared type"

RULE = Shape("rule", "One checkable requirement: exactly one kind of check.", (
    Key("code", TEXT, "Stable code: letters and digits, a hyphen, two digits (GK09-05); QMS- is reserved.",
        required=True),
    Key("title", TEXT, "The requirement in words, printed in reports; may print {{ params.NAME }}.", required=True),
    Key("procedure", TEXT, "The procedure cited, when not the file's."),
    Key("clause", TEXT, "A clause label of the procedure (qmsdoc clauses ID).", required=True),
    Key("severity", Choice(tuple(s.value for s in Severity)),
        " | ".join(s.value for s in Severity) + ".", required=True),
    Key("form", TEXT, "The form checked."),
    Key("forms", TEXTS, "The forms checked, each on its own."),
    Key("message", TEXT, "The finding in words, with placeholders such as {value} (optional)."),
    Key("reading", TEXT, "How the rule reads its clause, where that is a choice (free text)."),
    Key("when", EXPR, "A condition: the rule checks only records where it holds."),
    Key("match", MapOf("match"), "Pair each record with a record of another form: {form, on, required}."),
    Key("revisions", TEXTS, "Only these revisions of the procedure (not with from_revision)."),
    Key("from_revision", TEXT, "This revision of the procedure and every later one (not with revisions)."),
    *(Key(kind, value_type, description) for kind, (value_type, description) in _KIND_TYPES.items()),
), exactly_one=(KINDS,), at_least_one=(("form", "forms"),), at_most_one=(("revisions", "from_revision"),))

RULES_FILE = Shape("rules_file", "A rules file (rules/*.yaml): the checkable requirements of one procedure.", (
    Key("procedure", TEXT, "The procedure cited; its params are available as params.NAME.", required=True),
    Key("rules", ListOf(MapOf("rule")), "The rules.", required=True),
))


# -- other sources (no schema file) -----------------------------------------------------------

LABELS = Shape("labels", "A label catalogue: key → text.", (), extra=TEXT)

SIGNER = Shape("signer", "A person who may sign (signers/*.yaml).", (
    Key("id", TEXT, "The login id, also the file's name.", required=True),
    Key("name", TEXT, "The person's name.", required=True),
    Key("roles", TEXTS, "Roles of qmsdoc.yaml the person signs as."),
    Key("public_key", TEXT, "The Ed25519 public key (ed25519:BASE64).", required=True),
    Key("added", DATE, "The day the key was added.", required=True),
    Key("added_by", TEXT, "Who added it."),
    Key("revoked", DATE, "The day the key was revoked."),
    Key("revoked_by", TEXT, "Who revoked it."),
    Key("revoke_reason", TEXT, "Why."),
))

Shape("member", "A member of the audit team.", (
    Key("name", TEXT, "The member's name.", required=True),
    Key("role", TEXT, "Their role in the team."),
))
Shape("team", "The audit team.", (
    Key("leader", OneOf((TEXT, MapOf("member"))), "The leader: a name or {name, role}."),
    Key("members", ListOf(OneOf((TEXT, MapOf("member")))), "The other members."),
))
Shape("auditee", "The audited organisation or departments.", (
    Key("name", TEXT, "Who is audited."),
    Key("representative", TEXT, "Who signs for the auditee."),
))
Shape("span", "A span of days.", (
    Key("from", DATE, "The first day.", required=True),
    Key("to", DATE, "The last day.", required=True),
))
Shape("audit_scope", "What the audit covers.", (
    Key("departments", TEXTS, "Departments of qmsdoc.yaml."),
    Key("procedures", TEXTS, "Procedure ids."),
    Key("period", MapOf("span"), "The period of the records audited."),
    Key("description", TEXT, "The scope in words."),
))
AUDIT_PLAN = Shape("audit_plan", "An audit plan (qmsdoc check --plan).", (
    Key("number", TEXT, "The audit number."),
    Key("title", TEXT, "The audit's name."),
    Key("date", DATE, "The day of the audit."),
    Key("dates", MapOf("span"), "The days of the audit."),
    Key("team", MapOf("team"), "The audit team."),
    Key("auditee", MapOf("auditee"), "The auditee."),
    Key("scope", MapOf("audit_scope"), "The scope."),
    Key("objectives", OneOf((TEXT, TEXTS)), "One text, or a list: a line each."),
    Key("conclusion", TEXT, "Replaces the conclusion written from the counts."),
), at_most_one=(("date", "dates"),))
