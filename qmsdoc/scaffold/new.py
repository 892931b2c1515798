"""`qmsdoc new`: skeletons of a procedure, a form or a rule, written where lint looks and linked.

Every new document is a draft (no approvals, no release needed). Ids are checked against the
code patterns of qmsdoc.yaml; a file or id that exists already is refused. Linking a form to its
procedure inserts one list item in the procedure's `forms:` and leaves every other byte alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from qmsdoc.errors import Diagnostics, did_you_mean
from qmsdoc.load.common import follows
from qmsdoc.load.config import CONFIG_NAME, load_config
from qmsdoc.load.forms import load_form
from qmsdoc.load.procedures import load_procedure
from qmsdoc.model.documents import DATE_TYPES, FieldType, Form
from qmsdoc.model.site import SiteConfig
from qmsdoc.scaffold import ScaffoldError

RULE_KINDS = ("deadline", "required", "signatures", "order")
SAFE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
ID_LINE = re.compile(r"^id:[ \t]*(.+?)[ \t]*(?:#.*)?$", re.MULTILINE)


@dataclass(frozen=True)
class Written:
    """What `new` did: the files written or changed, relative to the project folder."""

    created: str
    changed: tuple[str, ...] = ()


def site_config(root: Path) -> SiteConfig:
    """qmsdoc.yaml of the project, which must load without a problem (ids are checked against it)."""
    if not (root / CONFIG_NAME).is_file():
        raise ScaffoldError(f"{root / CONFIG_NAME}: not found",
                            "run in the folder of a document set, pass --root DIR, or start one: qmsdoc init")
    diags = Diagnostics()
    site = load_config(root, diags)
    if site is None or diags:
        first = diags.sorted()[0].format() if diags else f"{root / CONFIG_NAME}: cannot be read"
        raise ScaffoldError(f"qmsdoc.yaml has problems, so ids cannot be checked:\n{first}",
                            "fix qmsdoc.yaml first (qmsdoc lint lists every problem)")
    return site


def stem(doc_id: str) -> str:
    """The file name of a document: the last part of its id (SJE/ZY/GK-09 → GK-09)."""
    last = doc_id.rsplit("/", 1)[-1]
    if not SAFE_STEM.fullmatch(last):
        raise ScaffoldError(f'id "{doc_id}": its last part "{last}" cannot name a file',
                            "end the id with letters, digits, '.', '-' or '_', e.g. GK-09")
    return last


def _check_code(root: Path, site: SiteConfig, kind: str, doc_id: str) -> None:
    pattern = site.procedure_code if kind == "procedure" else site.form_code
    if not follows(pattern, doc_id):
        raise ScaffoldError(f'{kind} id "{doc_id}" does not follow the code scheme '
                            f"{_code_place(root, kind)} codes.{kind}: {pattern}",
                            f"write the id as that pattern asks, or change codes.{kind} in qmsdoc.yaml")


def _code_place(root: Path, kind: str) -> str:
    """qmsdoc.yaml:LINE:COL of codes.<kind>, or just qmsdoc.yaml when it is not written."""
    lines = (root / CONFIG_NAME).read_text(encoding="utf-8").splitlines()
    in_codes = False
    for number, line in enumerate(lines, 1):
        if re.match(r"codes:\s*(#.*)?$", line):
            in_codes = True
        elif in_codes and (found := re.match(rf"(\s+){kind}:", line)):
            return f"{CONFIG_NAME}:{number}:{len(found.group(1)) + 1}:"
        elif in_codes and line and not line[0].isspace() and not line.startswith("#"):
            in_codes = False
    return f"{CONFIG_NAME}:"


def existing_ids(root: Path, folder: str, pattern: str) -> dict[str, str]:
    """Where each id of one folder's sources is written, as path:line:col (the sources are read as
    text, so a file that does not lint counts too)."""
    found: dict[str, str] = {}
    for path in sorted((root / folder).glob(pattern)):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        match = ID_LINE.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            found.setdefault(match.group(1).strip("'\""), f"{folder}/{path.name}:{line}:1")
    return found


def _refuse_existing(root: Path, rel: str, doc_id: str, ids: dict[str, str]) -> None:
    if doc_id in ids:
        raise ScaffoldError(f'{ids[doc_id]}: "{doc_id}" exists already', "choose another id")
    if (root / rel).exists() or (root / rel).is_symlink():
        raise ScaffoldError(f"{root / rel}: already exists; qmsdoc new never overwrites a file",
                            "choose another id, or edit the existing file")


def scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when YAML reads it back as the same text, else double-quoted."""
    try:
        plain = "\n" not in text and text == text.strip() and yaml.safe_load(text) == text and "#" not in text
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def _write_new(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="") as handle:
        handle.write(text)


# -- procedures ---------------------------------------------------------------------------------

def new_procedure(root: Path, doc_id: str, title: str, owner: str | None) -> Written:
    site = site_config(root)
    _check_code(root, site, "procedure", doc_id)
    rel = f"procedures/{stem(doc_id)}.md"
    _refuse_existing(root, rel, doc_id, existing_ids(root, "procedures", "*.md"))
    owner = owner or (site.departments[0] if site.departments else None)
    if owner is None or owner not in site.departments:
        raise ScaffoldError(f'owner "{owner or ""}" is not a department of qmsdoc.yaml',
                            "pass --owner with one of: " + (", ".join(site.departments) or
                                                            "(none: add departments to qmsdoc.yaml)"))
    _write_new(root, rel, _procedure_text(site, doc_id, title, owner))
    return Written(rel)


def _procedure_text(site: SiteConfig, doc_id: str, title: str, owner: str) -> str:
    zh = site.language == "zh-CN"
    numbering = "  lists: [article]\n" if zh else "  headings: [decimal]\n  lists: [outline]\n"
    body = ("1. （第一条：写明本制度的目的和适用范围。）\n\n2. （第二条：写明职责和工作要求。）\n" if zh else
            "# Purpose and scope\n\n1. (State what this procedure is for and what it covers.)\n\n"
            "# Procedure\n\n1. (State who does what, and when.)\n")
    return (f"---\nid: {scalar(doc_id)}\ntitle: {scalar(title)}\nrevision: {scalar(site.revision_example)}\n"
            "status: draft                     # draft | approved | effective | obsolete\n"
            f"owner: {scalar(owner)}\n"
            "numbering:\n" + numbering +
            "history: []                       # an entry per revision, when it comes into force\n"
            "forms: []\nrelated: []\nparams: {}\n---\n\n" + body)


# -- forms --------------------------------------------------------------------------------------

def new_form(root: Path, doc_id: str, procedure_id: str, title: str, clause: str | None) -> Written:
    site = site_config(root)
    _check_code(root, site, "form", doc_id)
    rel = f"forms/{stem(doc_id)}.yaml"
    _refuse_existing(root, rel, doc_id, existing_ids(root, "forms", "*.yaml"))
    proc_rel = _procedure_file(root, procedure_id)
    clause = clause or _first_clause(root, site, proc_rel)
    if not site.roles:
        raise ScaffoldError("qmsdoc.yaml lists no roles, and a form's signature needs one",
                            "add a role under roles: in qmsdoc.yaml")
    proc_path = root / proc_rel
    linked = add_form_to_procedure(proc_path.read_bytes(), doc_id, proc_rel)
    _write_new(root, rel, _form_text(site, doc_id, procedure_id, title, clause))
    proc_path.write_bytes(linked)
    return Written(rel, (proc_rel,))


def _procedure_file(root: Path, procedure_id: str) -> str:
    procedures = existing_ids(root, "procedures", "*.md")
    if procedure_id not in procedures:
        raise ScaffoldError(f'no procedure "{procedure_id}" in procedures/',
                            did_you_mean(procedure_id, procedures)
                            or "make it first: qmsdoc new procedure ID --title …")
    return _file_of(procedures[procedure_id])


def _file_of(place: str) -> str:
    """procedures/GK-09.md of procedures/GK-09.md:2:1."""
    return place.rsplit(":", 2)[0]


def _first_clause(root: Path, site: SiteConfig, rel: str) -> str:
    """The procedure's first citable clause label (the procedure is loaded on its own)."""
    proc = load_procedure(root / rel, rel, site, Diagnostics())
    labels = list(proc.clauses) if proc else []
    if not labels:
        raise ScaffoldError(f"{rel}:1:1: the procedure has no clause to cite (or does not load)",
                            "number a clause in it (an ordered list item), or pass --clause LABEL; "
                            "qmsdoc lint shows what stops it loading")
    return labels[0]


def _form_text(site: SiteConfig, doc_id: str, procedure_id: str, title: str, clause: str) -> str:
    zh = site.language == "zh-CN"
    words = (("基本信息", "编号", "日期", "内容", "签字") if zh else
             ("Record", "Number", "Date", "Details", "Signed by"))
    role = site.roles[0]
    return (f"id: {scalar(doc_id)}\ntitle: {scalar(title)}\nrevision: {scalar(site.revision_example)}\n"
            "status: draft                     # draft | approved | effective | obsolete\n"
            f"procedure: {scalar(procedure_id)}\nclause: {scalar(clause)}\n"
            "retention: 3 years\ncopies: 1\ndated_by: filled_on\n"
            "history: []                       # an entry per revision, when it comes into force\n"
            "sections:\n"
            f"  - title: {scalar(words[0])}\n"
            "    fields:\n"
            f"      - id: record_no\n        label: {scalar(words[1])}\n        type: text\n        required: true\n"
            f"      - id: filled_on\n        label: {scalar(words[2])}\n        type: date\n        required: true\n"
            f"      - id: details\n        label: {scalar(words[3])}\n        type: multiline\n"
            "        required: true\n        width: full\n"
            f"      - id: signed_by\n        label: {scalar(words[4])}\n        type: signature\n"
            f"        role: {scalar(role)}\n        required: true\n")


def add_form_to_procedure(source: bytes, form_id: str, rel: str) -> bytes:
    """The procedure's text with `form_id` added to its front matter's `forms:` list; nothing else changes."""
    text = source.decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        raise ScaffoldError(f"{rel}:1:1: no front matter to list the form in", "start the file with ---")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r\n") == "---"), None)
    if end is None:
        raise ScaffoldError(f"{rel}:1:1: the front matter has no closing ---", "close it with a line ---")
    item = scalar(form_id)
    key = next((i for i in range(1, end) if re.match(r"forms:", lines[i])), None)
    if key is None:
        lines.insert(end, f"forms:{newline}  - {item}{newline}")
        return "".join(lines).encode("utf-8")
    head = lines[key].rstrip("\r\n")
    value = re.sub(r"\s+#.*$", "", head[len("forms:"):]).strip()
    if value.startswith("[") and value.endswith("]"):
        inner = value[1:-1].strip()
        at = head.index("]", head.index("["))
        lines[key] = head[:at] + (f", {item}" if inner else item) + head[at:] + lines[key][len(head):]
        return "".join(lines).encode("utf-8")
    if value:
        raise ScaffoldError(f"{rel}:{key + 1}:1: forms: is written in a way qmsdoc new cannot extend",
                            f"add {form_id} to the list by hand")
    last, indent = key, "  "
    for i in range(key + 1, end):
        found = re.match(r"(\s*)- ", lines[i])
        if found:
            last, indent = i, found.group(1)
        elif lines[i].strip() and not lines[i].lstrip().startswith("#"):
            break
    lines.insert(last + 1, f"{indent}- {item}{newline}")
    return "".join(lines).encode("utf-8")


# -- rules --------------------------------------------------------------------------------------

def new_rule(root: Path, procedure_id: str, form_id: str, kind: str, title: str | None,
             clause: str | None) -> Written:
    if kind not in RULE_KINDS:
        raise ScaffoldError(f'no rule kind "{kind}" here', f"use one of {', '.join(RULE_KINDS)}; "
                            "the other kinds are in docs/rule-format.md")
    site = site_config(root)
    proc_rel = _procedure_file(root, procedure_id)
    forms = existing_ids(root, "forms", "*.yaml")
    if form_id not in forms:
        raise ScaffoldError(f'no form "{form_id}" in forms/',
                            did_you_mean(form_id, forms)
                            or "make it first: qmsdoc new form ID --procedure ID --title …")
    form_rel = _file_of(forms[form_id])
    form = load_form(root / form_rel, form_rel, site, Diagnostics())
    if form is None:
        raise ScaffoldError(f"{forms[form_id]}: the form does not load, so its fields are unknown",
                            "qmsdoc lint shows what to fix")
    clause = clause or _first_clause(root, site, proc_rel)
    rel = f"rules/{Path(proc_rel).stem}.yaml"
    path = root / rel
    code = _next_code(root, Path(proc_rel).stem)
    zh = site.language == "zh-CN"
    title = title or ("（规则标题：写明条款的要求）" if zh else "(Rule title: what the clause requires)")
    block = (f"  - code: {code}\n    title: {scalar(title)}\n    form: {scalar(form_id)}\n"
             f"    clause: {scalar(clause)}\n"
             "    severity: minor                # major | minor | observation\n"
             + _check_body(form, kind, form_id))
    if path.exists():
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^rules:[ \t]*\[[ \t]*\][ \t]*$", "rules:", text, count=1, flags=re.MULTILINE)
        path.write_text(text + ("" if text.endswith("\n") else "\n") + "\n" + block, encoding="utf-8")
        return Written(rel, ())
    header = f"# {procedure_id}: {'检查规则；格式见' if zh else 'rules; the format:'} docs/rule-format.md\n"
    _write_new(root, rel, f"{header}procedure: {scalar(procedure_id)}\nrules:\n{block}")
    return Written(rel)


def _next_code(root: Path, proc_stem: str) -> str:
    prefix = re.sub(r"[^A-Z0-9]", "", proc_stem.upper())
    if not prefix or not prefix[0].isalpha():
        prefix = "R" + prefix
    used = {int(m.group(1)) for path in (root / "rules").glob("*.yaml")
            for m in re.finditer(rf"^[ \t-]*code:[ \t]*{re.escape(prefix)}-([0-9]{{2}})[a-z]?\b",
                                 path.read_text(encoding="utf-8"), re.MULTILINE)}
    number = max(used, default=0) + 1
    if number > 99:
        raise ScaffoldError(f"rule codes {prefix}-01…{prefix}-99 are all used", "add the rule by hand")
    return f"{prefix}-{number:02d}"


def _check_body(form: Form, kind: str, form_id: str) -> str:
    fields = [f for s in form.sections for f in s.fields]
    signatures = [f.id for f in fields if f.type == FieldType.SIGNATURE]
    dates = [f.id for f in fields if f.type in DATE_TYPES and not f.planned] + [f"{s}.date" for s in signatures]
    if kind == "required":
        names = [f.id for f in fields if f.type not in (FieldType.TABLE, FieldType.SIGNATURE)][:2]
        if not names:
            raise ScaffoldError(f"form {form_id} has no entry to require", "use --kind signatures")
        return f"    required: [{', '.join(names)}]\n"
    if kind == "signatures":
        if not signatures:
            raise ScaffoldError(f"form {form_id} has no signature field", "add one (type: signature) first")
        return f"    signatures: [{', '.join(signatures[:2])}]\n"
    if len(dates) < 2:
        raise ScaffoldError(f"form {form_id} has fewer than two dates, and a {kind} rule compares two",
                            "add a date field (or a signature, whose date counts) first, or use --kind required")
    if kind == "order":
        return f"    order: [{dates[0]}, {dates[1]}]\n"
    return (f"    deadline:\n      from: {dates[0]}\n      to: {dates[1]}\n"
            "      within: 10                   # better: params.NAME, the number the procedure text prints\n"
            "      unit: calendar_days          # calendar_days | working_days | hours | months | years\n")
