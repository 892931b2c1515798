"""rules/*.yaml → Rule objects: citations checked, fields resolved, expressions compiled.

A rules file belongs to one procedure (its `procedure:`), whose clauses the rules cite and
whose params they may use, so a number written in the procedure text and the number the
checker enforces are the same value. A rule that names several forms is compiled once per
form: the fields it mentions must exist, with suitable types, on every one of them.

A procedure has revisions (released ones, and the current source), and a rule may say which of
them it applies to (`revisions:` or `from_revision:`). `load_rules` compiles the rules against
the current sources; the checker compiles them again against each revision of their procedure
(`compile_rule` with that revision's model: its params, its clauses), from the same parsed
files: `read_rule_files` parses each file once and keeps the tree for as long as the text is
the same.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from qmsdoc.errors import Diagnostics, Location, did_you_mean
from qmsdoc.load.common import read_source, read_source_text
from qmsdoc.load.expressions import compile_expr
from qmsdoc.load.labels import load_labels
from qmsdoc.load.reader import MapReader, to_int, to_str
from qmsdoc.load.shapes import RULE, RULES_FILE, shape_named
from qmsdoc.load.template import render_body
from qmsdoc.load.yamlsrc import YMap, YNode, YScalar, YSeq, parse_yaml
from qmsdoc.model.documents import Field, FieldType, Form, Procedure
from qmsdoc.model.findings import signature_part_label
from qmsdoc.model.labels import Labels
from qmsdoc.model.rules import (
    KINDS,
    PERIODS,
    SET_KINDS,
    UNITS,
    Allowed,
    Amount,
    Citation,
    Coverage,
    Deadline,
    Expect,
    Expr,
    FieldRef,
    Frequency,
    LeadTime,
    Limit,
    Match,
    Order,
    Required,
    Revisions,
    Rule,
    RuleSpec,
    Severity,
    Signatures,
    Unique,
)
from qmsdoc.model.site import SiteConfig

RULES_DIR = "rules"
CODE = re.compile(r"^[A-Z][A-Z0-9]*-[0-9]{2}[a-z]?$")
RESERVED_PREFIX = "QMS-"

TYPE_OF: dict[FieldType, str] = {
    FieldType.TEXT: "text", FieldType.MULTILINE: "text", FieldType.PERSON: "text",
    FieldType.CHOICE: "text", FieldType.NUMBER: "number", FieldType.MONEY: "number",
    FieldType.DATE: "date", FieldType.DATETIME: "datetime", FieldType.CHECKBOX: "bool",
    FieldType.MULTICHOICE: "list", FieldType.SIGNATURE: "signature", FieldType.TABLE: "table",
}
"""What a rule sees for each kind of form field."""

DATES = ("date", "datetime")
MESSAGE_NAMES = ("value", "values", "expected", "deadline", "start", "end", "within", "unit",
                 "field", "fields", "rule", "title", "form", "record", "start_label", "end_label",
                 "notice", "notice_label", "event", "event_label", "actual", "at_least", "other",
                 "other_value", "row", "count", "period", "key", "keys", "as_of")
"""Placeholders a message template may use, besides the form's own field ids; a name the
rule's kind does not fill prints empty."""


class _Scope:
    """Resolves field paths for one rule on one form (and its matched form, if any); `labels` word the
    parts of a signature (经办人签字日期) in the site's language."""

    def __init__(self, rule_code: str, form: Form, match_form: Form | None, diags: Diagnostics, labels: Labels,
                 broken: Container[str] = frozenset()):
        self.code, self.form, self.match_form, self.diags, self.labels = rule_code, form, match_form, diags, labels
        self.broken = broken
        """Documents that did not load cleanly: a rule on one of them says nothing (see common.Broken)."""

    def resolve(self, path: str, loc: Location, *, columns: bool = False) -> FieldRef | None:
        in_match = path.startswith("match.")
        form = self.form
        rest = path
        if in_match:
            if self.match_form is None:
                self.diags.error(loc, f'rule {self.code}: "{path}" names the matched record, but the rule '
                                      "has no match:", "add match: {form: …, on: {…}}")
                return None
            form, rest = self.match_form, path[6:]
        head, _, part = rest.partition(".")
        ref = self._lookup(path, form, head, part, loc, in_match, columns)
        if ref is not None and in_match:  # say which record the value is on: 出差报告·返回日期
            ref = replace(ref, label=f"{form.title}·{ref.label}")
        return ref

    def _lookup(self, path: str, form: Form, head: str, part: str, loc: Location, in_match: bool,
                columns: bool) -> FieldRef | None:
        fields = form.fields()
        f = fields.get(head)
        if f is None:
            self.diags.error(loc, f'rule {self.code}: unknown field "{head}" on {form.id}',
                             did_you_mean(head, fields) or f"fields of {form.id}: {', '.join(list(fields)[:12])}…")
            return None
        return self._part(path, f, part, loc, in_match, columns)

    def _part(self, path: str, f: Field, part: str, loc: Location, in_match: bool, columns: bool) -> FieldRef | None:
        options = f.option_values()
        if not part:
            return FieldRef(path, f.id, None, TYPE_OF[f.type], f.label, in_match, False, options, loc, f.required,
                            f.planned)
        if f.type == FieldType.SIGNATURE:
            if part not in ("name", "date"):
                self.diags.error(loc, f'rule {self.code}: a signature has .name and .date, not ".{part}"',
                                 did_you_mean(part, ("name", "date")))
                return None
            return FieldRef(path, f.id, part, "text" if part == "name" else "date",
                            signature_part_label(f.label, part, self.labels), in_match, False, (), loc, f.required)
        if f.type == FieldType.TABLE:
            cols = {c.id: c for c in f.columns}
            col = cols.get(part)
            if col is None:
                self.diags.error(loc, f'rule {self.code}: table {f.id} has no column "{part}"',
                                 did_you_mean(part, cols) or f"columns: {', '.join(cols)}")
                return None
            if not columns:
                self.diags.error(loc, f'rule {self.code}: "{path}" is a table column, which this key '
                                      "cannot use", "columns can be used by required: and allowed:")
                return None
            return FieldRef(path, f.id, col.id, TYPE_OF[col.type], f"{f.label}/{col.label}", in_match,
                            True, col.option_values(), loc, planned=col.planned)
        self.diags.error(loc, f'rule {self.code}: field {f.id} is a {f.type.value} field and has no ".{part}"')
        return None


Applies = Callable[[Revisions, Procedure], bool]
"""Whether a rule with this revision scope applies to this procedure model (the revision compiled for)."""


@dataclass(frozen=True)
class RuleFile:
    """One rules file as parsed: where it is, the procedure it names, and its rules as written."""

    path: str
    procedure: str | None
    procedure_loc: Location
    items: tuple[YNode, ...]

    def procedure_of(self, item: YNode) -> str | None:
        """The procedure one of its rules cites: the rule's own `procedure:`, else the file's."""
        own = item.values.get("procedure") if isinstance(item, YMap) else None
        if isinstance(own, YScalar) and not own.is_null:
            return own.text
        return self.procedure


PARSED_CACHE_FILES = 512
"""Parsed rules files kept (by path and text) so the checker's compile per revision parses none again."""
_parsed: dict[tuple[str, str], YNode] = {}


def load_rules(root: Path, site: SiteConfig, procedures: dict[str, Procedure], forms: dict[str, Form],
               diags: Diagnostics, *, broken: Container[str] = frozenset()) -> tuple[Rule, ...]:
    """Every rule under rules/ that applies to the current revision of its procedure, compiled
    against the current sources, in file and source order; problems go to `diags`. A rule on a
    document in `broken` (it did not load cleanly) is read, but not compiled against it."""
    rules: list[Rule] = []
    seen: dict[str, Location] = {}
    for file in read_rule_files(root, site, diags):
        default_proc = (_procedure(file.procedure, file.procedure_loc, procedures, diags, broken)
                        if file.procedure else None)
        for item in file.items:
            rules.extend(compile_rule(item, file.path, site, default_proc, procedures, forms, seen, diags,
                                      applies_to_source, broken=broken))
    return tuple(rules)


def read_rule_files(root: Path, site: SiteConfig, diags: Diagnostics) -> tuple[RuleFile, ...]:
    """Every file under rules/, parsed (once for the same text), in path order; problems go to `diags`."""
    files = []
    for path in sorted((root / RULES_DIR).glob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        file = _read_file(path, rel, site, diags)
        if file is not None:
            files.append(file)
    return tuple(files)


def _read_file(path: Path, rel: str, site: SiteConfig, diags: Diagnostics) -> RuleFile | None:
    raw = read_source(path, rel, site.limits, diags)
    text = read_source_text(raw, rel, diags) if raw is not None else None
    if text is None:
        return None
    node = _parse(text, rel, diags)
    if node is None:
        return None
    top = MapReader(node, diags, "rules file", RULES_FILE)
    proc_id = top.text("procedure", required=True)
    items = top.seq("rules", required=True)
    top.finish()
    return RuleFile(rel, proc_id or None, top.value_loc("procedure"), tuple(items))


def _parse(text: str, rel: str, diags: Diagnostics) -> YNode | None:
    """The YAML tree of a rules file; a tree parsed without problems is kept for the same path and text."""
    key = (rel, text)
    node = _parsed.get(key)
    if node is not None:
        return node
    before = len(diags)
    node = parse_yaml(text, rel, diags)
    if node is not None and len(diags) == before:
        if len(_parsed) >= PARSED_CACHE_FILES:
            _parsed.pop(next(iter(_parsed)))  # the oldest: a long-lived process never grows without bound
        _parsed[key] = node
    return node


def applies_to_source(scope: Revisions, proc: Procedure) -> bool:
    """Whether a rule applies to the current source `proc`, by the source's own revision history.

    Only a guard for loading: a rule is not compiled against a revision it does not apply to. A
    `from_revision` the history does not name (a revision still to come, or a misspelt name)
    applies to nothing here; the checker's compile per revision, which knows the releases too,
    says which revisions a rule applies to and reports a name that is none of them."""
    order = [h.revision for h in proc.history]
    if proc.revision not in order:
        order.append(proc.revision)
    return scope.applies(proc.revision, order)


def _procedure(pid: str, loc: Location, procedures: dict[str, Procedure], diags: Diagnostics,
               broken: Container[str] = frozenset()) -> Procedure | None:
    proc = procedures.get(pid)
    if proc is None and pid not in broken:
        diags.error(loc, f'procedure "{pid}" does not exist', did_you_mean(pid, procedures))
    return proc


def compile_rule(node: YNode, rel: str, site: SiteConfig, default_proc: Procedure | None,
                 procedures: dict[str, Procedure], forms: dict[str, Form], seen: dict[str, Location],
                 diags: Diagnostics, applies: Applies, *, broken: Container[str] = frozenset()) -> list[Rule]:
    """One rule as written (`node`, in file `rel`), compiled once per form it names, against the
    procedure model it cites (its own `procedure:` in `procedures`, else `default_proc`): nothing
    when `applies` says the rule does not apply to that model's revision."""
    r = MapReader(node, diags, "rule", RULE)
    code = r.text("code", required=True) or ""
    what = f"rule {code}" if code else "rule"
    r.what = what
    if code:
        if code.startswith(RESERVED_PREFIX) or not CODE.match(code):
            diags.error(r.value_loc("code"), f'{what}: code "{code}" does not look like GK09-05 or P4-26',
                        "letters and digits, a hyphen, two digits (QMS- is reserved for built-in checks)")
        elif code in seen:
            diags.error(r.value_loc("code"), f'{what}: duplicate rule code (first at {seen[code]})')
        else:
            seen[code] = r.value_loc("code")
    title = r.text("title", required=True) or ""
    proc = default_proc
    if r.has("procedure"):
        proc = _procedure(r.text("procedure") or "", r.value_loc("procedure"), procedures, diags, broken)
    clause = r.text("clause", required=True) or ""
    severity = r.enum("severity", [s.value for s in Severity], required=True)
    form_ids = _form_ids(r, forms, diags, what, broken)
    message = r.text("message")
    message_loc = r.value_loc("message")
    r.text("reading")  # free text: how the rule reads its clause where that is a choice (calendar days, …)
    spec_nodes = {k: given for k in KINDS if (given := r.raw(k)) is not None}
    kinds = list(spec_nodes)
    when_node, match_node = r.raw("when"), r.raw("match")
    revisions = _revision_scope(r, what, diags)
    r.finish()
    if len(kinds) != 1:
        diags.error(r.loc, f"{what}: needs exactly one kind of check, found "
                           f"{', '.join(kinds) if kinds else 'none'}", f"one of: {', '.join(KINDS)}")
        return []
    kind = kinds[0]
    if (proc is None or proc.id in broken or not form_ids or not code or revisions is None
            or not applies(revisions, proc)):
        return []
    if clause and clause not in proc.clauses:
        diags.error(r.value_loc("clause"), f'{what}: {proc.id} has no clause "{clause}"',
                    did_you_mean(clause, proc.clauses) or f"list them with: qmsdoc clauses {proc.id}")
    if kind in SET_KINDS and (len(form_ids) != 1 or match_node is not None):
        diags.error(r.loc, f"{what}: a {kind} rule applies to exactly one form and has no match:")
        return []
    title = _title(title, r.value_loc("title"), proc, site, diags)
    labels = site_labels(site.language)
    statement = _Statement(what, kind, title, r.value_loc("title"), message, message_loc, r.key_loc(kind))
    statement.check(diags)
    citation = Citation(proc.id, clause, proc.title, proc.revision)
    out = []
    for form_id in form_ids:
        form = forms[form_id]
        match = None
        scope = _Scope(code, form, None, diags, labels, broken)
        if match_node is not None:
            match = _match(match_node, scope, forms, diags, what)
            if match is None:
                continue
            scope = _Scope(code, form, forms[match.form], diags, labels, broken)
        before = len(diags)
        when = _expr(when_node, scope, proc, site, diags, f"{what}: when", "bool")
        spec = _SPECS[kind](spec_nodes[kind], scope, proc, site, forms, diags, f"{what}: {kind}")
        if message is not None:
            _check_message(message, message_loc, form, diags, what)
        if spec is not None:
            statement.check_spec(spec, diags)
        if spec is None or len(diags) > before:
            continue
        out.append(Rule(code=code, title=title, forms=(form_id,), citation=citation,
                        severity=Severity(severity or "minor"), kind=kind, spec=spec, when=when,
                        match=match, message=message, params=dict(proc.params), path=rel, loc=r.loc,
                        revisions=revisions))
    return out


def _title(text: str, loc: Location, proc: Procedure, site: SiteConfig, diags: Diagnostics) -> str:
    """A rule's title may print the cited revision's params (签字后 {{ params.copy_to_qm_days }} 天内…),
    so a finding's title says the limit of the revision it was judged by."""
    if "{" not in text:
        return text
    variables: dict[str, Mapping[str, object]] = {"params": dict(proc.params), "site": site.as_template_vars()}
    rendered = render_body(text, variables, loc.path, loc.line - 1, diags, site.limits, "rule titles",
                           first_col=loc.col)
    return rendered if rendered is not None else text


def _revision_scope(r: MapReader, what: str, diags: Diagnostics) -> Revisions | None:
    """The rule's `revisions: [A/0, A/1]` or `from_revision: B/0` (not both); None after an error.
    Whether the names are revisions of the procedure is checked against its releases (lint)."""
    listed = r.str_list("revisions")
    start = r.text("from_revision")
    if r.has("revisions") and r.has("from_revision"):
        diags.error(r.key_loc("from_revision"), f"{what}: give revisions: or from_revision:, not both",
                    "revisions: [A/0, A/1] names each revision the rule applies to; "
                    "from_revision: B/0 means B/0 and every later revision")
        return None
    given = r.raw("revisions")
    if isinstance(given, YSeq) and not given.items:
        diags.error(r.value_loc("revisions"), f"{what}: revisions: names no revision",
                    "list the revisions the rule applies to, e.g. revisions: [A/0, A/1], or leave the key out")
        return None
    if start is not None:
        return Revisions(start=start, start_loc=r.value_loc("from_revision"))
    return Revisions(tuple(v for v, _ in listed), listed_locs=tuple(loc for _, loc in listed))


def rule_heading(node: YNode) -> tuple[str, Revisions]:
    """A rule's code and the revisions it applies to, as written (for a rule that loaded: its problems
    were reported then)."""
    r = MapReader(node, Diagnostics(), "rule", RULE)
    code = r.text("code") or ""
    return code, _revision_scope(r, f"rule {code}", Diagnostics()) or Revisions()


def _form_ids(r: MapReader, forms: dict[str, Form], diags: Diagnostics, what: str,
              broken: Container[str]) -> list[str]:
    """The forms the rule names that loaded cleanly (one in `broken` is left out, in silence)."""
    pairs: list[tuple[str, Location]] = []
    if r.has("form"):
        one = r.text("form")
        if one:
            pairs.append((one, r.value_loc("form")))
    if r.has("forms"):
        pairs.extend(r.str_list("forms"))
    if not pairs:
        diags.error(r.loc, f"{what}: missing required key \"form\" (or forms: [...])")
    ids = []
    for fid, loc in pairs:
        if fid in broken:
            continue
        if fid not in forms:
            diags.error(loc, f'{what}: form "{fid}" does not exist', did_you_mean(fid, forms))
        else:
            ids.append(fid)
    return ids


def _check_message(message: str, loc: Location, form: Form, diags: Diagnostics, what: str) -> None:
    """A message's placeholders are plain names: no conversion, format spec, attribute or index,
    which could print Python internals or pad a text to gigabytes."""
    allowed = set(MESSAGE_NAMES) | set(form.fields())
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(message)
                  if name is not None]
    except ValueError as exc:
        diags.error(loc, f"{what}: message: {exc}", "write placeholders as {value}; double braces for { }")
        return
    for name, spec, conversion in fields:
        if spec or conversion or not name.isidentifier():
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            diags.error(loc, f'{what}: message placeholder "{{{written}}}" is not a plain name',
                        "write {name}: no format spec, conversion, attribute or index")
        elif name not in allowed:
            diags.error(loc, f'{what}: message uses unknown placeholder "{{{name}}}"',
                        did_you_mean(name, sorted(allowed)) or f"use one of: {', '.join(MESSAGE_NAMES)}")


# -- what a rule says in words -------------------------------------------------------------

CODE_SHAPED = re.compile(r"[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*"          # a field id: copy_to_qm_on
                         r"|\b[a-z][a-z0-9_]+\.[a-z][a-z0-9_]+\b"       # a path: marketing_leader.date
                         r"|==|!=|>=|<=|&&|\|\||\{\{|\}\}"           # an operator, a template left over
                         r"|\b(?:present|empty|len|days|hours|add_days)\s*\("  # the rule language's functions, called
                         r"|\bparams\b")                                # and its params (English "days" is a word)
"""Text shaped like code: what a rule's title and message may not contain (they are printed in audit
reports as the requirement and the finding)."""

ID_PLACEHOLDERS = {"fields": "the ids of the fields", "values": "field ids with their values"}
"""Message placeholders that print field ids: a message names each value by its own placeholder instead."""
WORDED_EXPECTED = frozenset(("deadline", "lead_time", "limit", "allowed", "frequency"))
"""The kinds whose `{expected}` is a date, a number or the form's own option labels; in the others it is
the rule's condition as code (`a ≥ b`, an expect: expression) or an English phrase."""

_LABELS: dict[str, Labels] = {}


def site_labels(language: str) -> Labels:
    """The label catalogue of the site's language, read once per process."""
    if language not in _LABELS:
        _LABELS[language] = load_labels(language)
    return _LABELS[language]


@dataclass(frozen=True)
class _Statement:
    """What a rule says to the auditor who signs its findings: its title (the requirement, with the
    clause it cites) and its message (the finding), or without one the catalogue's message for its kind.
    All are printed in the Word, HTML and spreadsheet reports, so none may be code: a rule that cannot be
    said in words is a lint error (docs/rule-format.md, "Said in words"): a title or message shaped like
    code, a placeholder that prints field ids or the rule's condition, a limit on a computed value
    without a message (the catalogue's would name the value by its expression)."""

    what: str
    kind: str
    title: str
    title_loc: Location
    message: str | None
    message_loc: Location
    kind_loc: Location

    def check(self, diags: Diagnostics) -> None:
        self._words(self.title, self.title_loc, "title", diags)
        if self.message is None:  # the catalogue's message for the kind: words (an expect: says 记录不满足本条要求)
            return
        literal = re.sub(r"\{[^{}]*\}", "", self.message.replace("{{", "").replace("}}", ""))
        self._words(literal, self.message_loc, "message", diags)
        for name in _placeholder_names(self.message):
            if name in ID_PLACEHOLDERS:
                diags.error(self.message_loc, f'{self.what}: message placeholder "{{{name}}}" prints '
                                              f"{ID_PLACEHOLDERS[name]}, not words",
                            "name each value by its own placeholder, e.g. {record_no}")
            elif name == "expected" and self.kind not in WORDED_EXPECTED:
                diags.error(self.message_loc, f'{self.what}: message placeholder "{{expected}}" prints the '
                                              f"{self.kind} rule's condition as code",
                            "say the requirement in words; the rule's title is printed beside the message")

    def check_spec(self, spec: RuleSpec, diags: Diagnostics) -> None:
        """A limit on a computed value (not one field) needs a message: the default names the value by
        its expression."""
        if not isinstance(spec, Limit) or self.message is not None:
            return
        value = spec.value
        if len(value.refs) == 1 and value.text.strip() == value.refs[0].path:
            return
        diags.error(self.kind_loc, f'{self.what}: limit: the value "{value.text}" is computed; without a message '
                                   "the finding would name it by its expression",
                    'add message: "…" in words, e.g. "促销费用占产值的比例为 {value}，超过上限 {expected}"')

    def _words(self, text: str, loc: Location, key: str, diags: Diagnostics) -> None:
        found = CODE_SHAPED.search(text)
        if found is not None:
            diags.error(loc, f'{self.what}: {key}: "{found[0]}" is code, not words; the {key} is printed in '
                             "audit reports" + (" as the requirement" if key == "title" else " as the finding"),
                        "write it as the clause does, naming entries by their labels on the form"
                        + (" and values by placeholders such as {record_no}" if key == "message" else ""))


def _placeholder_names(message: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(message) if name]
    except ValueError:
        return []  # _check_message reports it


# -- pieces -----------------------------------------------------------------------------


def _expr(node: YNode | None, scope: _Scope, proc: Procedure, site: SiteConfig, diags: Diagnostics, what: str,
          want: str | None) -> Expr | None:
    if node is None:
        return None
    text: str | None
    if isinstance(node, YScalar) and not node.quoted and node.text in ("true", "false"):
        text = node.text
    else:
        text = to_str(node, diags, what)
        if text is None:
            return None
    loc = node.loc
    if isinstance(node, YScalar) and node.quoted:
        loc = Location(loc.path, loc.line, loc.col + 1)
    return compile_expr(text, loc, scope.resolve, dict(proc.params), diags,
                        timezone=site.timezone, what=what, want=want)


def _ref(node: YNode | None, scope: _Scope, diags: Diagnostics, what: str, *, types: tuple[str, ...] = (),
         columns: bool = False) -> FieldRef | None:
    if node is None:
        return None
    text = to_str(node, diags, what)
    if text is None:
        return None
    ref = scope.resolve(text.strip(), node.loc, columns=columns)
    if ref is not None and types and ref.type not in types:
        diags.error(node.loc, f'{what}: "{text}" is a {ref.type} value; expected {" or ".join(types)}',
                    "for a signature use its .date or .name" if ref.type == "signature" else None)
        return None
    return ref


def _refs(node: YNode | None, scope: _Scope, diags: Diagnostics, what: str, *, types: tuple[str, ...] = (),
          columns: bool = False, at_least: int = 1) -> tuple[FieldRef, ...] | None:
    if node is None:
        return None
    items = node.items if isinstance(node, YSeq) else (node,)
    refs = [_ref(i, scope, diags, what, types=types, columns=columns) for i in items]
    if any(r is None for r in refs):
        return None
    if len(refs) < at_least:
        diags.error(node.loc, f"{what}: needs at least {at_least} fields")
        return None
    return tuple(r for r in refs if r is not None)


def _amount(node: YNode | None, scope: _Scope, proc: Procedure, site: SiteConfig, diags: Diagnostics,
            what: str) -> Amount | None:
    if node is None:
        return None
    if isinstance(node, YScalar) and not node.quoted and node.text.isdigit():
        return to_int(node, diags, what)
    return _expr(node, scope, proc, site, diags, what, "number")


def _required(node: YNode, scope: _Scope, proc: Procedure, site: SiteConfig, forms: dict[str, Form],
              diags: Diagnostics, what: str) -> Required | None:
    refs = _refs(node, scope, diags, what, columns=True)
    return Required(refs) if refs else None


def _signatures(node: YNode, scope: _Scope, proc: Procedure, site: SiteConfig, forms: dict[str, Form],
                diags: Diagnostics, what: str) -> Signatures | None:
    distinct: list[tuple[FieldRef, FieldRef]] = []
    if isinstance(node, YMap):
        m = MapReader(node, diags, what, shape_named("signatures"))
        refs = _refs(m.raw("of", required=True), scope, diags, what, types=("signature",))
        for pair in m.seq("distinct"):
            both = _refs(pair, scope, diags, f"{what}: distinct", types=("signature", "text"), at_least=2)
            if both is None:
                continue
            if len(both) != 2:
                diags.error(pair.loc, f"{what}: distinct: give pairs, e.g. [compiler, approver]")
                continue
            distinct.append((both[0], both[1]))
        m.finish()
    else:
        refs = _refs(node, scope, diags, what, types=("signature",))
    return Signatures(refs, tuple(distinct)) if refs else None


def _order(node: YNode, scope: _Scope, proc: Procedure, site: SiteConfig, forms: dict[str, Form],
           diags: Diagnostics, what: str) -> Order | None:
    strict = False
    if isinstance(node, YMap):
        m = MapReader(node, diags, what, shape_named("order"))
        refs = _refs(m.raw("of", required=True), scope, diags, what, types=DATES, at_least=2)
        strict = m.flag("strict")
        m.finish()
    else:
        refs = _refs(node, scope, diags, what, types=DATES, at_least=2)
    return Order(refs, strict) if refs else None


def _deadline(node: YNode, scope: _Scope, proc: Procedure, site: SiteConfig, forms: dict[str, Form],
              diags: Diagnostics, what: str) -> Deadline | None:
    m = MapReader(node, diags, what, shape_named("deadline"))
    has_from, has_by = m.has("from"), m.has("by")
    end = _ref(m.raw("to", required=True), scope, diags, f"{what}: to", types=DATES)
    start = _ref(m.raw("from"), scope, diags, f"{what}: from", types=DATES)
    within = _amount(m.raw("within"), scope, proc, site, diags, f"{what}: within")
    unit = m.enum("unit", UNITS) or "calendar_days"
    roll = m.flag("roll", default=True)
    by = _expr(m.raw("by"), scope, proc, site, diags, f"{what}: by", "date")
    inclusive = m.flag("inclusive", default=True)
    m.finish()
    if has_from == has_by:
        diags.error(m.loc, f"{what}: give either from: and within: or by:",
                    "e.g. from: returned_on, within: params.copy_to_qm_days, unit: calendar_days")
        return None
    if has_from and not m.has("within"):
        diags.error(m.loc, f"{what}: from: needs within: (a number of days or hours)")
        return None
    if end is None or (start is None and by is None) or (has_from and within is None):
        return None
    if unit == "hours" and "date" in (start.type if start else "date", end.type):
        diags.error(m.loc, f"{what}: an hours deadline needs date-time fields (with a time of day)",
                    "use unit: calendar_days for date fields")
        return None
    return Deadline(end=end, start=start, within=within, unit=unit, roll=roll, by=by, inclusive=inclusive)


def _lead_time(node: YNode, scope: _Scope, proc: Procedure, site: SiteConfig, forms: dict[str, Form],
               diags: Diagnostics, what: str) -> LeadTime | None:
    m = MapReader(node, diags, what, shape_named("lead_time"))
    notice = _ref(m.raw("notice", required=True), scope, diags, f"{what}: notice", types=DATES)
    event = _ref(m.raw("event", required=True), scope, diags, f"{what}: event", types=DATES)
    at_least = _amount(m.raw("at_least", required=True), scope, proc, site, diags, f"{what}: at_least")
    unit = m.enum("unit", UNITS) or "hours"
    m.finish()
    if notice is None or event is None or at_least is None:
        return None
    if unit == "hours" and "date" in (notice.type, event.type):
        diags.error(m.loc, f"{what}: an hours lead time needs date-time fields", "use unit: calendar_days")
        return None
    return LeadTime(notice, event, at_least, unit)


def _allowed(node: YNode, scope: _Scope, proc: Procedure, site: SiteConfig, forms: dict[str, Form],
             diags: Diagnostics, what: str) -> Allowed | None:
    m = MapReader(node, diags, what, shape_named("allowed"))
    ref = _ref(m.raw("field", required=True), scope, diags, f"{what}: field", types=("text", "list"), columns=True)
    values = tuple(v for v, _ in m.str_list("values"))
    forbidden = tuple(v for v, _ in m.str_list("forbidden"))
    m.finish()
    if ref is None:
        return None
    if bool(values) == bool(forbidden):
        diags.error(m.loc, f"{what}: give values: (the allowed ones) or forbidden:, not both")
        return None
    if ref.options:
        for v in values + forbidden:
            if v not in ref.options:
                diags.error(m.loc, f'{what}: "{v}" is not an option of {ref.path}',
                            did_you_mean(v, ref.options) or f"options: {', '.join(ref.options)}")
                return None
    return Allowed(ref, values, forbidden)


def _limit(node: YNode, scope: _Scope, proc: Procedure, site: SiteConfig, forms: dict[str, Form],
           diags: Diagnostics, what: str) -> Limit | None:
    m = MapReader(node, diags, what, shape_named("limit"))
    value = _expr(m.raw("value", required=True), scope, proc, site, diags, f"{what}: value", "number")
    given = [k for k in ("min", "max", "equals") if m.has(k)]
    bounds = {k: _expr(m.raw(k), scope, proc, site, diags, f"{what}: {k}", "number") if k in given else None
              for k in ("min", "max", "equals")}
    m.finish()
    if not given:
        diags.error(m.loc, f"{what}: give min:, max: or equals:")
        return None
    if not isinstance(value, Expr) or any(bounds[k] is None for k in given):
        return None
    return Limit(value, bounds["min"], bounds["max"], bounds["equals"])


def _expect(node: YNode, scope: _Scope, proc: Procedure, site: SiteConfig, forms: dict[str, Form],
            diags: Diagnostics, what: str) -> Expect | None:
    condition = _expr(node, scope, proc, site, diags, what, "bool")
    return Expect(condition) if condition else None


def _frequency(node: YNode, scope: _Scope, proc: Procedure, site: SiteConfig, forms: dict[str, Form],
               diags: Diagnostics, what: str) -> Frequency | None:
    m = MapReader(node, diags, what, shape_named("frequency"))
    date = _ref(m.raw("date", required=True), scope, diags, f"{what}: date", types=DATES)
    per = m.enum("per", PERIODS, required=True)
    at_least = _amount(m.raw("at_least"), scope, proc, site, diags, f"{what}: at_least") if m.has("at_least") else 1
    m.finish()
    if date is None or per is None or at_least is None:
        return None
    return Frequency(date, per, at_least)


def _coverage(node: YNode, scope: _Scope, proc: Procedure, site: SiteConfig, forms: dict[str, Form],
              diags: Diagnostics, what: str) -> Coverage | None:
    m = MapReader(node, diags, what, shape_named("coverage"))
    key = _ref(m.raw("key", required=True), scope, diags, f"{what}: key", types=("text",))
    date = _ref(m.raw("date", required=True), scope, diags, f"{what}: date", types=DATES)
    per = m.enum("per", PERIODS, required=True)
    pop = m.mapping("population", required=True)
    m.finish()
    if pop is None:
        return None
    pform_id = pop.text("form", required=True) or ""
    pform = forms.get(pform_id)
    if pform is None or pform_id in scope.broken:  # a form that did not load cleanly: its problems are reported
        if pform_id not in scope.broken:
            diags.error(pop.value_loc("form"), f'{what}: population: form "{pform_id}" does not exist',
                        did_you_mean(pform_id, forms))
        pop.finish()
        return None
    pscope = _Scope(scope.code, pform, None, diags, scope.labels)
    pkey = _ref(pop.raw("key", required=True), pscope, diags, f"{what}: population: key", types=("text",))
    pdate = _ref(pop.raw("date", required=True), pscope, diags, f"{what}: population: date", types=DATES)
    pop.finish()
    if key is None or date is None or per is None or pkey is None or pdate is None:
        return None
    return Coverage(key, date, per, pform_id, pkey, pdate)


def _unique(node: YNode, scope: _Scope, proc: Procedure, site: SiteConfig, forms: dict[str, Form],
            diags: Diagnostics, what: str) -> Unique | None:
    refs = _refs(node, scope, diags, what, types=("text", "number", "date", "datetime"))
    return Unique(refs) if refs else None


def _match(node: YNode, scope: _Scope, forms: dict[str, Form], diags: Diagnostics, what: str) -> Match | None:
    m = MapReader(node, diags, f"{what}: match", shape_named("match"))
    other_id = m.text("form", required=True) or ""
    on = m.mapping("on", required=True)
    required = m.flag("required", default=True)
    m.finish()
    other = forms.get(other_id)
    if other is None or other_id in scope.broken:
        if other_id and other_id not in scope.broken:
            diags.error(m.value_loc("form"), f'{what}: match: form "{other_id}" does not exist',
                        did_you_mean(other_id, forms))
        return None
    if on is None:
        return None
    theirs_scope = _Scope(scope.code, other, None, diags, scope.labels)
    ours, theirs = [], []
    for key, value in on.items():
        a = scope.resolve(key, on.key_loc(key))
        b = _ref(value, theirs_scope, diags, f"{what}: match: on")
        if a is None or b is None:
            return None
        if a.type != b.type:
            diags.error(value.loc, f"{what}: match: {key} is {a.type} but {b.path} is {b.type}")
            return None
        ours.append(a)
        theirs.append(b)
    if not ours:
        diags.error(m.loc, f"{what}: match: on: needs at least one pair of fields")
        return None
    return Match(other_id, tuple(ours), tuple(theirs), required)


_SPECS = {
    "required": _required, "signatures": _signatures, "order": _order, "deadline": _deadline,
    "lead_time": _lead_time, "allowed": _allowed, "limit": _limit, "expect": _expect,
    "frequency": _frequency, "coverage": _coverage, "unique": _unique,
}
