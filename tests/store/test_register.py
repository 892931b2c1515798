"""The records register on the command line, against SQLite and a real PostgreSQL server alike.

Every test takes the `db` fixture, so each runs twice: on a new SQLite file, and on a new database
of the PostgreSQL server that tests/store/conftest.py starts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import signal
import time
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import create_engine, func, inspect, select, text, update
from sqlalchemy.pool import NullPool

from qmsdoc.checker.run import find_record_files
from qmsdoc.cli import main
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.store.db import open_store, resolve_url
from qmsdoc.store.migrate import known_versions
from qmsdoc.store.register import Adder
from qmsdoc.store.schema import HEAD, events, metadata, records
from store.support import EXAMPLES, Result, feedback, jsonl, qmsdoc, spawn

from conftest import REPO


def engine(db: str):  # type: ignore[no-untyped-def]
    return open_store(resolve_url(db, REPO, None), create=False).engine


def verify(db: str) -> Result:
    """`qmsdoc verify` of the bundled releases (not of a build: no output folder) and of the store."""
    return qmsdoc("verify", "--out", str(REPO / "tests" / "store" / "no-output"), db=db)


def count_records(db: str) -> int:
    with engine(db).connect() as conn:
        return int(conn.execute(select(func.count()).select_from(records)).scalar_one())


def test_the_example_records_are_stored_once_listed_shown_and_verified(db: str) -> None:
    added = qmsdoc("records", "add", str(EXAMPLES), "--by", "王伟", db=db)
    assert added.code == 1, added  # the examples hold unreadable files on purpose: refused, the rest added
    stored = count_records(db)
    assert stored > 250 and f"{stored} record(s) added" in added.out, added
    again = qmsdoc("records", "add", str(EXAMPLES / "json"), "--by", "李娜", db=db)
    assert "0 record(s) added" in again.out and "duplicate file(s)" in again.out, again  # and the unknown form again
    assert "already stored (the same bytes as records/examples/json/" in again.out
    assert count_records(db) == stored
    listed = qmsdoc("records", "list", "--form", "SJE/JL/GK-09-01", "--from", "2025-01-01", "--to", "2025-12-31", db=db)
    assert listed.code == 0 and "\tSJE/JL/GK-09-01\tA/0\tFK-2025-" in listed.out, listed
    assert "\t2026-" not in listed.out.replace("\t2028-", "")  # dated in 2025 only (retention ends 3 years on)
    rows = [json.loads(line) for line in qmsdoc("records", "list", "--format", "jsonl", db=db).out.splitlines()]
    assert len(rows) == stored and {r["submitted_by"] for r in rows} == {"王伟"}
    one = next(r for r in rows if r["record_no"] == "TZ-2025-014")
    assert (one["form"], one["record_date"], one["retention_end"]) == ("SJE/JL/GK-01-01", "2025-04-22", "2028-04-22")
    shown = json.loads(qmsdoc("records", "show", str(one["id"]), db=db).out)
    assert shown["fields"]["sig_issuer"] == {"name": "陈静", "date": "2025-04-22"}
    assert [h["action"] for h in shown["history"]] == ["record.add"]
    by_number = json.loads(qmsdoc("records", "show", "TZ-2025-014", db=db).out)
    assert by_number["id"] == one["id"]
    verified = verify(db)
    assert verified.code == 0 and f"{stored} record(s)" in verified.out, verified


def test_what_check_cannot_read_is_refused_with_checks_reason_and_the_rest_added(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    jsonl(folder / "mixed.jsonl", [feedback("FK-2025-101", "2025-05-06"),
                                   {"form": "SJE/JL/NO-SUCH", "revision": "A/0", "fields": {}}])
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "norev.json").write_text(json.dumps({"form": "SJE/JL/GK-09-01", "fields": {}}), encoding="utf-8")
    (folder / "fake.docx").write_bytes(b"not a zip at all")
    (folder / "notes.txt").write_text("not a record", encoding="utf-8")
    os.mkfifo(folder / "pipe.jsonl")  # never opened
    jsonl(tmp_path / "elsewhere" / "out.jsonl", [feedback("FK-2025-102", "2025-05-07")])
    (folder / "link.jsonl").symlink_to(tmp_path / "elsewhere" / "out.jsonl")  # outside the folder: not followed
    added = qmsdoc("records", "add", str(folder), "--by", "王伟", db=db)
    assert added.code == 1 and "1 record(s) added" in added.out and "6 refused" in added.out, added
    checked = qmsdoc("check", str(folder), "--as-of", "2026-01-15", "--format", "json", "--exit-zero", "-j", "1")
    unreadable = [f for f in json.loads(checked.out)["findings"] if f["rule"] == "QMS-RECORD"]
    refused = [line for line in added.err.splitlines() if ": error: " in line]
    assert len(unreadable) == len(refused) == 6, (added, unreadable)
    for finding in unreadable:
        ref = finding["record"]
        where = f"{ref['source']}:{ref['location']}" if ref["location"] else ref["source"]
        line = next(r for r in refused if r.startswith(f"{where}: error: "))
        assert line.split(": error: ", 1)[1] in finding["message"], (line, finding["message"])
    assert count_records(db) == 1
    with engine(db).connect() as conn:  # the files with no readable record left nothing behind
        assert conn.execute(text("SELECT count(*) FROM blobs")).scalar_one() == 1


def test_nothing_to_add_is_an_error_and_bad_options_are_usage_errors(db: str, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    nothing = qmsdoc("records", "add", str(tmp_path / "empty"), "--by", "王伟", db=db)
    assert nothing.code == 2 and "no records found under" in nothing.err, nothing
    assert qmsdoc("records", "add", str(EXAMPLES), "--by", " ", db=db).code == 2
    assert "no qmsdoc store in this database yet" in qmsdoc("records", "list", db=db).err or "sqlite" in db
    assert qmsdoc("db", "upgrade", db=db).code == 0
    missing = qmsdoc("records", "show", "999", db=db)
    assert missing.code == 2 and "no record 999" in missing.err


def test_export_writes_every_record_as_json_lines_and_csv_with_inert_cells(db: str, tmp_path: Path) -> None:
    record = feedback("=HYPERLINK(\"x\")", "2025-05-06")
    qmsdoc("records", "add", str(jsonl(tmp_path / "in" / "a.jsonl", [record, feedback("FK-2", "2025-06-01")])),
           "--by", "王伟", db=db)
    lines = qmsdoc("records", "export", db=db).out.splitlines()
    exported = [json.loads(line) for line in lines]
    assert [e["record_no"] for e in exported] == ["=HYPERLINK(\"x\")", "FK-2"]
    assert exported[0]["fields"]["marketing_leader"] == {"name": "刘洋", "date": "2025-05-06"}
    target = tmp_path / "register.csv"
    assert qmsdoc("records", "export", "--format", "csv", "-o", str(target), db=db).code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0]["record_no"] == "'=HYPERLINK(\"x\")" and rows[1]["retention_end"] == "2028-06-01"


def test_retention_lists_what_is_due_and_dispose_keeps_a_tombstone(db: str, tmp_path: Path) -> None:
    qmsdoc("records", "add", str(jsonl(tmp_path / "in" / "old.jsonl", [feedback("FK-2019-001", "2019-03-01"),
                                                                       feedback("FK-2019-002", "2019-04-01")])),
           "--by", "王伟", db=db)
    qmsdoc("records", "add", str(jsonl(tmp_path / "in" / "new.jsonl", [feedback("FK-2025-001", "2025-03-01")])),
           "--by", "王伟", db=db)
    due = qmsdoc("records", "retention", "--as-of", "2022-03-15", db=db)
    assert "FK-2019-001" in due.out and "FK-2019-002" not in due.out and "1 record(s) past" in due.out, due
    ids = {r["record_no"]: str(r["id"]) for r in map(json.loads, qmsdoc("records", "list", "--format", "jsonl",
                                                                         db=db).out.splitlines())}
    refused = qmsdoc("records", "dispose", ids["FK-2019-001"], ids["FK-2025-001"], "--by", "赵强",
                     "--reason", "保存期满，碎纸销毁", db=db)
    assert refused.code == 1 and "runs until 2028-03-01" in refused.err and "nothing was disposed of" in refused.err
    assert count_records(db) == 3
    done = qmsdoc("records", "dispose", ids["FK-2019-001"], ids["FK-2019-002"], "--by", "赵强",
                  "--reason", "保存期满，碎纸销毁", db=db)
    assert done.code == 0 and "2 record(s) disposed of" in done.out, done
    assert "FK-2019" not in qmsdoc("records", "list", db=db).out
    tombstone = json.loads(qmsdoc("records", "show", ids["FK-2019-001"], db=db).out)
    assert tombstone["disposed_by"] == "赵强" and tombstone["disposed_reason"] == "保存期满，碎纸销毁"
    assert "fields" not in tombstone and [h["action"] for h in tombstone["history"]] == ["record.add", "record.dispose"]
    with engine(db).connect() as conn:  # the file's bytes went with its last record
        assert conn.execute(text("SELECT count(*) FROM blobs WHERE data IS NULL")).scalar_one() == 1
    again = qmsdoc("records", "dispose", ids["FK-2019-001"], "--by", "赵强", "--reason", "x", db=db)
    assert again.code == 1 and "disposed of already" in again.err
    assert verify(db).code == 0


def test_verify_names_the_first_broken_link_and_rows_changed_without_an_event(db: str, tmp_path: Path) -> None:
    qmsdoc("records", "add", str(jsonl(tmp_path / "in" / "a.jsonl", [feedback(f"FK-{n}", "2025-05-06")
                                                                     for n in range(5)])), "--by", "王伟", db=db)
    eng = engine(db)
    with eng.begin() as conn:
        conn.execute(update(events).where(events.c.seq == 3).values(actor="someone else"))
    broken = verify(db)
    assert broken.code == 1 and "the event log is broken at event 3 (record.add record 3" in broken.err, broken
    assert "the row was altered" in broken.err
    with eng.begin() as conn:
        conn.execute(update(events).where(events.c.seq == 3).values(actor="王伟"))
        conn.execute(events.delete().where(events.c.seq == 2))
    removed = verify(db)
    assert "event 2 missing before event 3" in removed.err, removed


def test_verify_names_a_record_changed_without_its_event(db: str, tmp_path: Path) -> None:
    qmsdoc("records", "add", str(jsonl(tmp_path / "in" / "a.jsonl", [feedback("FK-1", "2025-05-06")])),
           "--by", "王伟", db=db)
    with engine(db).begin() as conn:
        conn.execute(update(records).values(record_no="FK-9"))
    changed = verify(db)
    assert changed.code == 1 and "record 1 (SJE/JL/GK-09-01 FK-9): the row differs from what its last event" \
        in changed.err, changed
    with engine(db).begin() as conn:
        conn.execute(update(records).values(record_no="FK-1", data=text("replace(data, '华东', '华西')")))
    altered = verify(db)
    assert "its content differs from the digest" in altered.err, altered
    with engine(db).begin() as conn:
        conn.execute(text("UPDATE blobs SET data = :d"), {"d": b"{}"})
    assert "does not have that digest: its bytes were altered" in verify(db).err


def test_a_killed_add_leaves_whole_files_and_the_next_run_adds_the_rest(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    files, per_file = 300, 20
    for n in range(files):
        jsonl(folder / f"batch-{n:04d}.jsonl", [feedback(f"FK-{n}-{i}", "2025-05-06") for i in range(per_file)])
    qmsdoc("db", "upgrade", db=db)
    proc = spawn("records", "add", str(folder), "--by", "王伟", db=db)
    deadline = time.monotonic() + 120
    while count_records(db) < 200 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    with engine(db).connect() as conn:
        per_blob = conn.execute(select(records.c.blob, func.count()).group_by(records.c.blob)).all()
        empty = conn.execute(select(func.count()).select_from(records).where(records.c.data.is_(None))).scalar_one()
    assert per_blob and {n for _, n in per_blob} == {per_file} and empty == 0, per_blob
    stored_files = len(per_blob)
    assert stored_files < files
    assert verify(db).code == 0
    rest = qmsdoc("records", "add", str(folder), "--by", "王伟", db=db)
    assert rest.code == 0 and f"{stored_files} duplicate file(s)" in rest.out, rest
    assert count_records(db) == files * per_file


def test_two_adders_at_once_lose_nothing(db: str, tmp_path: Path) -> None:
    for n in range(80):
        jsonl(tmp_path / ("a" if n < 50 else "b") / f"f{n:03d}.jsonl",
              [feedback(f"FK-{n}-{i}", "2025-05-06") for i in range(10)])
    for n in range(30, 50):  # the same bytes under both folders: stored once, by whichever run comes first
        (tmp_path / "b" / f"f{n:03d}.jsonl").write_bytes((tmp_path / "a" / f"f{n:03d}.jsonl").read_bytes())
    qmsdoc("db", "upgrade", db=db)
    runs = [spawn("records", "add", str(tmp_path / name), "--by", who, db=db) for name, who in (("a", "甲"), ("b", "乙"))]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert count_records(db) == 800
    duplicates = sum(int(n) for out, _ in outputs for n in re.findall(r"(\d+) duplicate file", out.decode()))
    assert duplicates == 20, outputs
    verified = verify(db)
    assert verified.code == 0 and "800 event(s), 800 record(s)" in verified.out, verified


def test_a_store_of_the_first_schema_version_is_upgraded_without_loss(db: str, tmp_path: Path) -> None:
    first = known_versions()[0]
    assert qmsdoc("db", "upgrade", "--to", first, db=db).code == 0
    old = open_store(resolve_url(db, REPO, None), check_version=False)
    project = load_project(REPO)
    path = jsonl(tmp_path / "in" / "a.jsonl", [feedback("FK-1", "2025-05-06"), feedback("FK-2", "2025-05-07")])
    Adder(old, project, load_labels("zh-CN"), by="王伟", at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC)).add(
        find_record_files([path]))
    if first != HEAD:
        refused = qmsdoc("records", "list", db=db)
        assert refused.code == 2 and f"schema version {first}, this qmsdoc needs {HEAD}" in refused.err
        assert "run `qmsdoc db upgrade`" in refused.err
    upgraded = qmsdoc("db", "upgrade", db=db)
    assert upgraded.code == 0 and HEAD in upgraded.out, upgraded
    assert "FK-1" in qmsdoc("records", "list", db=db).out
    assert verify(db).code == 0
    with engine(db).connect() as conn:
        found = inspect(conn)
        for table in metadata.sorted_tables:
            assert {c["name"] for c in found.get_columns(table.name)} == {c.name for c in table.columns}, table.name
    assert qmsdoc("db", "version", db=db).code == 0


def test_the_newest_migration_is_the_schema_this_qmsdoc_writes() -> None:
    assert known_versions()[-1] == HEAD


def test_a_store_url_that_is_not_supported_is_refused(tmp_path: Path) -> None:
    result = qmsdoc("records", "list", db="mysql://u:secret@host/db")
    assert result.code == 2 and "mysql database is not supported" in result.err and "secret" not in result.err
    missing = qmsdoc("records", "list", db=str(tmp_path / "none.sqlite"))
    assert missing.code == 2 and "no store there" in missing.err


def test_the_default_store_is_the_file_qmsdoc_yaml_names(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    for name in ("procedures", "forms", "rules", "releases"):
        (root / name).symlink_to(REPO / name)
    config = (REPO / "qmsdoc.yaml").read_text(encoding="utf-8").split("\nstore:")[0].splitlines()
    (root / "qmsdoc.yaml").write_text("\n".join([*config, "store: {path: db/register.sqlite}", ""]), encoding="utf-8")
    result = CliRunner().invoke(main, ["records", "add", "--root", str(root), str(EXAMPLES / "json"), "--by", "王伟"],
                                env={"QMSDOC_DATABASE_URL": ""})
    assert result.exit_code == 1 and (root / "db" / "register.sqlite").is_file(), result.output  # one unknown form
    eng = create_engine(f"sqlite:///{root / 'db' / 'register.sqlite'}", poolclass=NullPool)
    with eng.connect() as conn:
        assert conn.execute(select(func.count()).select_from(records)).scalar_one() > 50
