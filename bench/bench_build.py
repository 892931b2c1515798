"""Benchmark `qmsdoc build`: the bundled corpus, a synthetic corpus, and pandoc side by side.

Prints figures; it is not a test. Targets (issue 2): bundled corpus < 1 s of build time,
>= 100 procedures/s on the synthetic corpus. Run: python bench/bench_build.py [--synthetic N]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import time
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
        results = build_all(project, tmpdir / "out")
        t2 = time.perf_counter()
        n = len(results)
        print(f"bundled corpus: {len(project.procedures)} procedures + {len(project.forms)} forms = {n} documents")
        print(f"  load+lint {t1 - t0:.2f} s, build {t2 - t1:.2f} s, {n / (t2 - t1):.1f} docs/s (target: < 1 s)")

        synth = synthetic_project(args.synthetic, tmpdir / "synth")
        t0 = time.perf_counter()
        sp = load_project(synth)
        t1 = time.perf_counter()
        labels = load_labels(sp.site.language)
        procs = list(sp.procedures.values())
        for proc in procs:
            render_document(sp, proc, labels)
        t2 = time.perf_counter()
        print(f"synthetic corpus: {len(procs)} procedures")
        rate = len(procs) / (t2 - t1)
        print(f"  load+lint {t1 - t0:.2f} s, build {t2 - t1:.2f} s, {rate:.1f} procedures/s (target: >= 100)")

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
        print(f"same {k} bodies: pandoc {t1 - t0:.2f} s, qmsdoc {t2 - t1:.2f} s, "
              f"qmsdoc/pandoc time ratio {(t2 - t1) / (t1 - t0):.2f}")


if __name__ == "__main__":
    main()
