"""Benchmark the records store: `records add` of JSON Lines records into SQLite, and `check --store`.

Prints figures; it is not a test. Targets (issue 16): `records add` of 100,000 JSON Lines
records into SQLite at >= 5,000 records/s on the 2-core machine; `check --store` of the same
records with nothing changed since the last run in < 2 s (incremental); memory bounded.

The records are the bundled example records that read without problems (JSON files), cycled,
each with a number of its own, in files of 10,000 lines (a submitted file may hold at most
`units_per_file` records).

Run: python bench/bench_store.py [--records 100000] [--db URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from qmsdoc.checker.run import find_record_files
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.store.db import open_store, resolve_url
from qmsdoc.store.register import Adder

REPO = Path(__file__).resolve().parents[1]
PER_FILE = 10_000
AS_OF = dt.date(2026, 1, 15)


def example_records() -> list[dict[str, Any]]:
    out = []
    for path in sorted((REPO / "records" / "examples" / "json").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        for item in raw if isinstance(raw, list) else [raw]:
            if isinstance(item, dict) and item.get("form", "").startswith("SJE/JL/GK-") and "unknown" not in path.name:
                out.append(item)
    return out


def write_records(folder: Path, count: int) -> list[Path]:
    examples = example_records()
    paths = []
    for start in range(0, count, PER_FILE):
        path = folder / f"records-{start // PER_FILE:03d}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for n in range(start, min(count, start + PER_FILE)):
                record = dict(examples[n % len(examples)])
                record["id"] = f"B-{n:06d}"
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--db", default=None, help="a store URL (default: a new SQLite file)")
    args = parser.parse_args()
    project = load_project(REPO)
    labels = load_labels(project.site.language)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_records(folder, args.records)
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"{args.records:,} records in {len(paths)} JSON Lines files ({size:.1f} MB); "
              f"peak so far {peak_mb():.0f} MB")
        store = open_store(resolve_url(args.db or str(folder / "store.sqlite"), folder, None))
        adder = Adder(store, project, labels, by="bench", at=dt.datetime.now(dt.UTC), root=folder)
        start = time.perf_counter()
        result = adder.add(find_record_files(paths, folder))
        took = time.perf_counter() - start
        print(f"records add: {result.added:,} records in {took:.1f} s = {result.added / took:,.0f} records/s "
              f"(target >= 5,000/s); {len(result.refused)} refused; peak {peak_mb():.0f} MB")
        start = time.perf_counter()
        again = adder.add(find_record_files(paths, folder))
        print(f"records add again: {len(again.duplicates)} duplicate files in {time.perf_counter() - start:.2f} s")
        check_store = _check_store()
        if check_store is not None:
            for label in ("first run", "nothing changed"):
                start = time.perf_counter()
                report = check_store(project, labels, store)
                print(f"check --store, {label}: {report.records:,} records, {len(report.findings):,} findings in "
                      f"{time.perf_counter() - start:.2f} s" + (" (target < 2 s)" if label != "first run" else "")
                      + f"; peak {peak_mb():.0f} MB")
        store.dispose()


def _check_store() -> Any:
    try:
        from qmsdoc.store.checks import bench_check
    except ImportError:
        return None
    return lambda project, labels, store: bench_check(project, labels, store, AS_OF)


if __name__ == "__main__":
    main()
