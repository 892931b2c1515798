"""How a blank form's entries are tagged: the contract between the generator and the reader.

Every entry is a content control tagged with the field's stable id: `field`; `field.name` and
`field.date` for a signature; `table.row.column` in a repeating table. A choice is one tick box
per option, `field.option` (one ticked for a single choice, any for a multi-choice); a yes/no
entry is two boxes, `field.yes` and `field.no`, so an entry left blank is never read as "no".
Forms made before tick boxes carry a drop-down (`field`) or a single box (`field`) instead; the
reader takes either.
"""

from __future__ import annotations

YES, NO = "yes", "no"


def option_tag(tag: str, value: str) -> str:
    """The tick box of one option of the choice entry `tag`."""
    return f"{tag}.{value}"


def yes_no_tags(tag: str) -> tuple[str, str]:
    """The two boxes of the yes/no entry `tag`."""
    return f"{tag}.{YES}", f"{tag}.{NO}"


def row_tag(table: str, row: int, column: str) -> str:
    """The entry of `column` in row `row` (from 1) of the repeating table `table`."""
    return f"{table}.{row}.{column}"
