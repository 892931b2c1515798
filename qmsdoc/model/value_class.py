"""`value_class`: the dataclass of the model values a run makes once per record or finding.

Records and findings are values: nothing changes one once it is made (a changed copy is made with
`dataclasses.replace`). A frozen dataclass enforces that at run time by setting every field through
`object.__setattr__` when it is made, which is about six times the cost of a plain slotted one
(1.6–2.0 µs against 0.3 µs for the eight fields of a record, measured on the 2-core machine). A
check of a million records makes several million of them: a record per line, a trimmed copy for
the set rules, a finding per problem, and each again in the parent when a worker's results are
unpickled.

So these classes are frozen for the type checker and plain slotted dataclasses at run time:
`dataclass_transform(frozen_default=True)` makes mypy (run over the package in CI) refuse any
assignment to a field, as it does for a frozen dataclass. At run time nothing assigns to them;
they are not hashable either way (each holds a dict: a frozen one fails to hash as well).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def value_class(cls: type[T]) -> type[T]:
    """A slotted dataclass, frozen for the type checker (see the module's notes)."""
    return dataclass(slots=True)(cls)
