"""`qmsdoc check --store`: the stored records checked as the files are, and only once per rule set and day."""

from __future__ import annotations

import json
from pathlib import Path

from store.support import EXAMPLES, feedback, jsonl, qmsdoc

AS_OF = "2026-01-15"


def findings(out: str) -> list[tuple[str, str, str, str]]:
    """(rule, source, location, message) of each finding; a finding over the whole set names no file."""
    found = []
    for f in json.loads(out)["findings"]:
        ref = f["record"]
        whole_set = ref["source"] in ("store", str(EXAMPLES))
        found.append((f["rule"], "" if whole_set else ref["source"], ref["location"], f["message"]))
    return sorted(found)


def test_the_stored_records_give_the_findings_their_files_give(db: str) -> None:
    qmsdoc("records", "add", str(EXAMPLES), "--by", "王伟", db=db)
    stored = qmsdoc("check", "--store", "--as-of", AS_OF, "--format", "json", "--exit-zero", db=db)
    files = qmsdoc("check", str(EXAMPLES), "--as-of", AS_OF, "--format", "json", "--exit-zero", "-j", "1")
    assert stored.code == 0, stored
    unreadable = [f for f in findings(files.out) if f[0] == "QMS-RECORD"]  # never stored: refused by records add
    assert len(unreadable) == 4
    assert findings(stored.out) == [f for f in findings(files.out) if f[0] != "QMS-RECORD"]
    report = json.loads(stored.out)
    assert report["root"] == "store" and report["counts"]["records"] == 272 and report["counts"]["open"] == 1


def test_a_record_is_checked_once_per_rule_set_and_audit_date(db: str, tmp_path: Path) -> None:
    qmsdoc("records", "add", str(EXAMPLES / "json"), "--by", "王伟", db=db)
    first = qmsdoc("check", "--store", "--as-of", AS_OF, "--format", "json", "--exit-zero", db=db)
    assert "92 stored record(s), 92 checked now" in first.err, first
    again = qmsdoc("check", "--store", "--as-of", AS_OF, "--format", "json", "--exit-zero", db=db)
    assert "0 checked now, 92 as checked before" in again.err and again.out == first.out, again
    qmsdoc("records", "add", str(jsonl(tmp_path / "in" / "new.jsonl", [feedback("FK-2026-900", "2026-01-05")])),
           "--by", "王伟", db=db)
    more = qmsdoc("check", "--store", "--as-of", AS_OF, "--format", "json", "--exit-zero", db=db)
    assert "93 stored record(s), 1 checked now, 92 as checked before" in more.err, more
    assert json.loads(more.out)["counts"]["records"] == 93
    later = qmsdoc("check", "--store", "--as-of", "2026-03-01", "--format", "json", "--exit-zero", db=db)
    assert "93 stored record(s), 93 checked now" in later.err, later  # another audit date: dates judged anew


def test_check_takes_paths_or_the_store_not_both_nor_neither(db: str) -> None:
    neither = qmsdoc("check", "--as-of", AS_OF)
    assert neither.code == 2 and "name the records to check (PATHS), or check the stored ones with --store" in neither.err
    both = qmsdoc("check", str(EXAMPLES), "--store", db=db)
    assert both.code == 2
    empty = qmsdoc("check", "--store", "--as-of", AS_OF, db=db)
    assert empty.code == 2, empty
