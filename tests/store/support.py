"""Running the store's commands in the tests: in this process (CliRunner) or as a separate process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from qmsdoc.cli import main

from conftest import REPO

EXAMPLES = REPO / "records" / "examples"


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


def qmsdoc(*args: str, db: str | None = None, root: Path = REPO) -> Result:
    """`qmsdoc ARGS --root ROOT [--db DB]` in this process (a group's subcommand: `records add …`)."""
    grouped = args[0] in ("records", "db", "audit", "capa")
    words, rest = (list(args[:2]), list(args[2:])) if grouped else ([args[0]], list(args[1:]))
    options = ["--root", str(root), *(["--db", db] if db is not None else [])]
    result = CliRunner().invoke(main, [*words, *options, *rest], catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


def spawn(*args: str, db: str, root: Path = REPO) -> subprocess.Popen[bytes]:
    """`qmsdoc ARGS` as a process of its own (for killing it, or running two at once)."""
    group, command, *rest = args
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", "from qmsdoc.cli import main; main()", group, command, "--root", str(root), "--db", db,
                             *rest], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(root))


def jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def feedback(number: str, day: str) -> dict[str, Any]:
    """A complete 外部质量信息反馈单 (SJE/JL/GK-09-01), dated `day`."""
    return {"form": "SJE/JL/GK-09-01", "revision": "A/0", "id": number,
            "fields": {"customer": "华东电力公司", "returned_on": day,
                       "marketing_leader": {"name": "刘洋", "date": day}}}
