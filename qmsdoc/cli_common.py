"""What every qmsdoc command shares on the command line, so each behaves the same way.

- Where the document set is: `--root` after the command wins, else `--root` given before it (on the
  main group), else the nearest folder from the current one upward that holds qmsdoc.yaml, else the
  current folder (whose missing qmsdoc.yaml is then reported as searched for upward).
- How much is said: `-q/--quiet` and `-v/--verbose`, on the main group and on every command; a
  command says its summary and per-file lines through `say`, so the choice is made in one place.
  Problems and findings are the output and are never hidden.
- Colour: the "error:"/"warning:"/"note:" labels are coloured only on a terminal and only when
  NO_COLOR is unset or empty (https://no-color.org).

A command adopts these with `@root_option` and `@verbosity_options` (or `quiet_option` when it reads
--quiet itself); the main group also adds -q/-v to any command that lacks them (`adopt_conventions`).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

CONFIG_FILE = "qmsdoc.yaml"
ROOT_BEFORE = "qmsdoc.root.before-command"
"""ctx.meta key: the --root given before the command (on the main group)."""
SEARCHED_FROM = "qmsdoc.root.searched-from"
"""ctx.meta key: the folder the upward search for qmsdoc.yaml started from, when it found none."""
LEVEL_PREFIX = "qmsdoc.verbosity."
"""ctx.meta keys: the -q/-v chosen at each depth of the command line (main group 0, command 1, …)."""

QUIET, NORMAL, VERBOSE = -1, 0, 1
"""Verbosity levels: -q, the default, -v. `say(NORMAL, …)` is a summary line, `say(VERBOSE, …)` a per-file line."""

ROOT_HELP = ("Folder holding qmsdoc.yaml, procedures/, forms/ and rules/ (default: --root given before the command, "
             "else the nearest folder from here upward holding qmsdoc.yaml).")


# -- the document set's folder ------------------------------------------------------------------

def find_root(start: Path) -> Path | None:
    """The nearest folder from `start` (absolute) upward holding qmsdoc.yaml, relative to `start`
    ('.', '..', '../..'), so messages name files as short relative paths; None when there is none."""
    for up, folder in enumerate([start, *start.parents]):
        if (folder / CONFIG_FILE).is_file():
            return Path(*([".."] * up)) if up else Path(".")
    return None


def _root(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    if value is not None:
        return value
    before = ctx.meta.get(ROOT_BEFORE)
    if before is not None:
        return Path(before)
    start = Path.cwd()
    found = find_root(start)
    if found is None:
        ctx.meta[SEARCHED_FROM] = start
        return Path(".")
    return found


def root_option(f: F) -> F:
    """`--root DIR` on a command: the folder of the document set, as described at the top."""
    return click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                        callback=_root, help=ROOT_HELP)(f)


def _remember_root(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.meta[ROOT_BEFORE] = value


group_root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None, expose_value=False,
    callback=_remember_root, help="The document set's folder, for every command (a --root after the command wins).")
"""`--root DIR` on the main group, before the command: kept for the command's own `root_option`."""


def given_root() -> Path | None:
    """The --root given before the command, if any (for `init`, which never searches upward)."""
    ctx = click.get_current_context(silent=True)
    value = ctx.meta.get(ROOT_BEFORE) if ctx is not None else None
    return Path(value) if value is not None else None


def config_missing(root: Path) -> str:
    """What to say when `root` holds no qmsdoc.yaml: where it was looked for, and what to do."""
    ctx = click.get_current_context(silent=True)
    searched = ctx.meta.get(SEARCHED_FROM) if ctx is not None else None
    if searched is not None and root == Path("."):
        return (f"{CONFIG_FILE} not found in {searched} or any folder above it; run in a document set, "
                "pass --root DIR, or start one with `qmsdoc init`")
    return f"{root / CONFIG_FILE} not found; run in a document set or pass --root"


# -- how much is said ---------------------------------------------------------------------------

def _depth(ctx: click.Context) -> int:
    depth = 0
    while ctx.parent is not None:
        ctx, depth = ctx.parent, depth + 1
    return depth


def _level_setter(level: int) -> Callable[[click.Context, click.Parameter, bool], bool]:
    def remember(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
        if value:
            key = f"{LEVEL_PREFIX}{_depth(ctx)}"
            if ctx.meta.get(key, level) != level:
                raise click.UsageError("give -q/--quiet or -v/--verbose, not both", ctx)
            ctx.meta[key] = level
        return value
    return remember


QUIET_HELP = "Say only what went wrong: no summary lines (the exit code tells the result)."
VERBOSE_HELP = "Also say what was done file by file (e.g. each file written)."


def quiet_params(*, expose: bool = False, help: str = QUIET_HELP) -> click.Option:
    """The -q/--quiet option; `expose` when the command reads it as its `quiet` argument too."""
    return click.Option(["-q", "--quiet", "quiet"], is_flag=True, expose_value=expose, callback=_level_setter(QUIET),
                        help=help)


def verbose_params() -> click.Option:
    """The -v/--verbose option."""
    return click.Option(["-v", "--verbose", "verbose"], is_flag=True, expose_value=False,
                        callback=_level_setter(VERBOSE), help=VERBOSE_HELP)


def _append(f: F, option: click.Option) -> F:
    """Add a ready-made option to a function about to become a command, as @click.option would."""
    if isinstance(f, click.Command):
        f.params.append(option)
    else:
        params = f.__dict__.setdefault("__click_params__", [])
        params.append(option)
    return f


def verbosity_options(f: F) -> F:
    """-q/--quiet and -v/--verbose on a command (neither is passed to it: `say` reads them)."""
    return _append(_append(f, verbose_params()), quiet_params())


def quiet_option(help: str = QUIET_HELP) -> Callable[[F], F]:
    """-q/--quiet passed to the command as `quiet` (for a command that also drops a progress bar or
    report with it), and -v/--verbose; both also count for `say`."""
    def decorate(f: F) -> F:
        return _append(_append(f, verbose_params()), quiet_params(expose=True, help=help))
    return decorate


def adopt_conventions(command: click.Command) -> None:
    """Give `command` (and every subcommand) -q/-v when it lacks them; idempotent."""
    opts = {o for p in command.params for o in getattr(p, "opts", ())}
    if "--verbose" not in opts and "-v" not in opts:
        command.params.append(verbose_params())
    if "--quiet" not in opts and "-q" not in opts:
        command.params.append(quiet_params())
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            adopt_conventions(sub)


def verbosity() -> int:
    """QUIET, NORMAL or VERBOSE: the -q/-v given closest to the command (after it, else before it)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return NORMAL
    levels = {int(k[len(LEVEL_PREFIX):]): v for k, v in ctx.meta.items() if k.startswith(LEVEL_PREFIX)}
    return int(levels[max(levels)]) if levels else NORMAL


def say(level: int, text: str, *, err: bool = False) -> None:
    """Print a line that is not a problem or a finding: a summary (NORMAL, hidden by -q) or a
    per-file line (VERBOSE, shown with -v)."""
    if verbosity() >= level:
        click.echo(text, err=err)


# -- colour ----------------------------------------------------------------------------------------

LABEL_COLOURS = {"error": "red", "warning": "yellow", "note": "cyan"}


def _isatty(stream: IO[Any]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a closed or odd stream is not a terminal
        return False


def colour_wanted(*, err: bool = True) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to anything but the empty string."""
    if os.environ.get("NO_COLOR"):
        return False
    return _isatty(sys.stderr if err else sys.stdout)


def label(kind: str, *, err: bool = True) -> str:
    """"error:", "warning:" or "note:", coloured when `colour_wanted`."""
    text = f"{kind}:"
    colour = LABEL_COLOURS.get(kind)
    return click.style(text, fg=colour, bold=True) if colour and colour_wanted(err=err) else text


# -- did you mean ----------------------------------------------------------------------------------

def _key(doc_id: str) -> str:
    """An id compared loosely: case-insensitive, numbers without leading zeros (GK-9 = gk-09)."""
    return re.sub(r"\d+", lambda m: str(int(m.group())), doc_id.strip().upper())


def suggest_ids(wanted: str, ids: Iterable[str], limit: int = 3) -> list[str]:
    """The ids `wanted` probably meant: the same id but for case or leading zeros, or an id whose last
    part it is (GK-9 → SJE/ZY/GK-09); when there is none, close spellings of the whole id or its
    last part."""
    known = sorted(set(ids))
    key = _key(wanted)
    last = key.rsplit("/", 1)[-1]
    found = [i for i in known if _key(i) == key]
    found += [i for i in known if i not in found and _key(i).rsplit("/", 1)[-1] == last]
    if found:  # the id itself, or the only ids it can stand for: close spellings would be noise
        return found[:limit]
    by_key = {_key(i): i for i in known}
    by_last: dict[str, list[str]] = {}
    for i in known:
        by_last.setdefault(_key(i).rsplit("/", 1)[-1], []).append(i)
    for close in difflib.get_close_matches(key, list(by_key), n=limit, cutoff=0.6):
        if by_key[close] not in found:
            found.append(by_key[close])
    for close in difflib.get_close_matches(last, list(by_last), n=limit, cutoff=0.6):
        found += [i for i in by_last[close] if i not in found]
    return found[:limit]
