"""Benchmark `qmsdoc extract`: filled forms per second, one core and all cores, vs python-docx.

Prints figures; it is not a test. Target (issue 19, row 3): >= 1,000 filled forms/s per core.
The filled forms are every bundled form, built and filled (tests/support/fill.py), cycled; each is
read whole, as `extract` reads it (read_docx_form: the bounded package, the manifest, the
controls as Word shows them, the typed fields). The project is loaded before the clock starts
(worker processes are forked with it), and python-docx opening the same files is timed in the
same run, so the ratio holds on a busy machine too. The time lxml takes to parse the main document
part alone (no bounds, no reading) is printed beside it: the floor of any reader that builds a tree.
Parts many files share byte for byte (relationships, styles) are decompressed and parsed once per
process (records/safezip.py `SafePackage.derived`); the one-core run is also timed with that
memory emptied before every file, which is what a run of files that share nothing costs.
Run: python bench/bench_extract.py [--forms 2000]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import docx
from lxml import etree

from qmsdoc.load.project import load_project
from qmsdoc.outputs import output_name
from qmsdoc.publish import build_all
from qmsdoc.records import safezip
from qmsdoc.records.docx_form import read_docx_form

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from support.fill import fill_docx, fill_plan  # noqa: E402

_PROJECT = None


def _extract(paths: list[str], shared: bool = True) -> int:
    global _PROJECT
    if _PROJECT is None:
        _PROJECT = load_project(REPO)
    for p in paths:
        if not shared:
            safezip._DERIVED.clear()
        read_docx_form(Path(p), _PROJECT)
    return len(paths)


TARGET = 1000
"""Filled forms per second per core (issue 19)."""


def main() -> None:
    global _PROJECT
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", type=int, default=2000)
    args = parser.parse_args()
    project = _PROJECT = load_project(REPO)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build_all(project, out / "built")
        forms = sorted(project.forms.values(), key=lambda f: f.id)
        filled = []
        for form in forms:
            typed, _ = fill_plan(form)
            blank = out / "built" / "forms" / output_name(form.id, form.revision)
            filled.append(fill_docx(blank.read_bytes(), typed))
        paths = []
        for k in range(args.forms):
            path = out / f"r{k:05d}.docx"
            path.write_bytes(filled[k % len(filled)])
            paths.append(str(path))
        print(f"{len(paths)} filled forms of {len(forms)} types")

        _extract(paths[:len(forms)])  # each form's definition and code paths once, before the clock
        t0 = time.perf_counter()
        _extract(paths)
        one = time.perf_counter() - t0
        rate = len(paths) / one
        print(f"extract, 1 core: {one:.2f} s, {rate:.0f} forms/s, {one / len(paths) * 1000:.2f} ms a form "
              f"(target: >= {TARGET:,} per core, {'met' if rate >= TARGET else 'not met'})")

        parts = [zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml") for data in filled]
        t0 = time.perf_counter()
        for k in range(len(paths)):
            etree.fromstring(parts[k % len(parts)])
        parse = time.perf_counter() - t0
        print(f"  of which lxml parsing word/document.xml alone: {parse / len(paths) * 1000:.2f} ms a form "
              f"(the target leaves {1000 / TARGET:.2f} ms for everything)")

        t0 = time.perf_counter()
        _extract(paths, shared=False)
        cold = time.perf_counter() - t0
        print(f"extract, 1 core, no part shared between files: {cold:.2f} s, {len(paths) / cold:.0f} forms/s, "
              f"{cold / len(paths) * 1000:.2f} ms a form")

        cores = os.cpu_count() or 1
        chunks = [paths[i::cores * 4] for i in range(cores * 4)]
        t0 = time.perf_counter()
        with ProcessPoolExecutor(cores) as pool:
            assert sum(pool.map(_extract, chunks)) == len(paths)
        many = time.perf_counter() - t0
        print(f"extract, {cores} cores: {many:.2f} s, {len(paths) / many:.0f} forms/s "
              f"({len(paths) / many / cores:.0f} per core)")

        t0 = time.perf_counter()
        for p in paths:
            docx.Document(p)
        base = time.perf_counter() - t0
        print(f"python-docx Document(path) alone: {base:.2f} s; extract/python-docx time ratio {one / base:.2f}")


if __name__ == "__main__":
    main()
