"""Benchmark `qmsdoc build`: the bundled corpus, a synthetic corpus, and pandoc side by side.

Prints figures; it is not a test. Targets (issue 19, rows 1-2): bundled corpus < 1 s of build
time; >= 100 seed-sized procedures/s, and >= 5x pandoc per document, pandoc timed in the same run
on the same bodies. Run: python bench/bench_build.py [--synthetic N] [--pandoc-docs N]

Every figure includes the one-off preparation of the package skeletons (`generator.direct`):
each run starts in a fresh process, with nothing cached from an earlier one.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qmsdoc.generator.render import render_document
from qmsdoc.load.labels import load_labels
from qmsdoc.load.project import load_project
from qmsdoc.publish import build_all

REPO = Path(__file__).resolve().parents[1]


def synthetic_project(n: int, where: Path) -> Path:
    """n procedures cloned from the bundled ones (seed-sized), each with its own id."""
    where.mkdir(parents=True, exist_ok=True)
    config = (REPO / "qmsdoc.yaml").read_text(encoding="utf-8")
    config = re.sub(r"procedure: '.*'", "procedure: '^SJE/ZY/S-[0-9]{4}$'", config)
    (where / "qmsdoc.yaml").write_text(config, encoding="utf-8")
    (where / "procedures").mkdir()
    sources = sorted((REPO / "procedures").glob("*.md"))
    for k in range(n):
        text = sources[k % len(sources)].read_text(encoding="utf-8")
        text = re.sub(r"^id: .*$", f"id: SJE/ZY/S-{k:04d}", text, count=1, flags=re.M)
        text = re.sub(r"^forms:\n(  - .*\n)+", "forms: []\n", text, flags=re.M)
        text = re.sub(r"^related: .*$", "related: []", text, flags=re.M)
        text = re.sub(r"^related:\n(  - .*\n)+", "related: []\n", text, flags=re.M)
        (where / "procedures" / f"S-{k:04d}.md").write_text(text, encoding="utf-8")
    return where


def bodies(root: Path, limit: int, out: Path) -> list[Path]:
    """The Markdown bodies (front matter removed) for pandoc."""
    paths = []
    for k, src in enumerate(sorted((root / "procedures").glob("*.md"))[:limit]):
        body = src.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        body = re.sub(r"\{\{[^}]*\}\}", "10", body)
        path = out / f"{k:04d}.md"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=1000)
    parser.add_argument("--pandoc-docs", type=int, default=100)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        t0 = time.perf_counter()
        project = load_project(REPO)
        t1 = time.perf_counter()
        print(f"bundled corpus: {len(project.procedures)} procedures + {len(project.forms)} forms, "
              f"load+lint {t1 - t0:.2f} s")
        for jobs in (1, 2):
            t = _in_fresh_process(_build_bundled, jobs, str(tmpdir / f"out{jobs}"))
            print(f"  build, {jobs} worker{'s' if jobs > 1 else ''}: {t[0]:.2f} s for {t[1]} documents "
                  f"({t[1] / t[0]:.0f} docs/s; target: < 1 s) — {'met' if t[0] < 1 else 'not met'}")

        synth = synthetic_project(args.synthetic, tmpdir / "synth")
        t0 = time.perf_counter()
        sp = load_project(synth)
        t1 = time.perf_counter()
        labels = load_labels(sp.site.language)
        procs = list(sp.procedures.values())
        for proc in procs:
            render_document(sp, proc, labels)
        t2 = time.perf_counter()
        print(f"synthetic corpus: {len(procs)} procedures (one process, skeleton preparation included)")
        rate = len(procs) / (t2 - t1)
        print(f"  load+lint {t1 - t0:.2f} s, build {t2 - t1:.2f} s, {rate:.1f} procedures/s "
              f"(target: >= 100) — {'met' if rate >= 100 else 'not met'}")

        pandoc = shutil.which("pandoc")
        if pandoc is None:
            print("pandoc: not installed (apt-get install pandoc) — no ratio")
            return
        k = min(args.pandoc_docs, len(procs))
        md = bodies(synth, k, tmpdir)
        t0 = time.perf_counter()
        for path in md:
            subprocess.run([pandoc, "-f", "commonmark+pipe_tables", "-t", "docx",
                            "-o", str(path.with_suffix(".docx")), str(path)], check=True)
        t1 = time.perf_counter()
        for proc in procs[:k]:
            render_document(sp, proc, labels)
        t2 = time.perf_counter()
        pandoc_ms, qmsdoc_ms = (t1 - t0) * 1000 / k, (t2 - t1) * 1000 / k
        print(f"same {k} bodies: pandoc {pandoc_ms:.1f} ms a document (process start included), "
              f"qmsdoc {qmsdoc_ms:.1f} ms a document: qmsdoc {pandoc_ms / qmsdoc_ms:.1f}x faster "
              f"(target: >= 5x) — {'met' if pandoc_ms >= 5 * qmsdoc_ms else 'not met'}")


def _build_bundled(jobs: int, out: str) -> tuple[float, int]:
    """The build time of the bundled corpus with `jobs` workers, and how many documents it wrote."""
    project = load_project(REPO)
    t0 = time.perf_counter()
    results = build_all(project, Path(out), jobs=jobs)
    return time.perf_counter() - t0, len(results)


def _in_fresh_process(fn: Callable[..., tuple[float, int]], *args: object) -> tuple[float, int]:
    """`fn(*args)` in a new process, so nothing prepared by an earlier measurement is reused."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)


if __name__ == "__main__":
    main()
