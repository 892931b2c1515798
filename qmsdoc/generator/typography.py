"""Text as Chinese typesetting wants it, applied to what the generator prints.

YAML folds a long value's lines with a space, and a space between two Chinese characters, or
after full-width punctuation, is a typo on paper. Those spaces are dropped; a space between
Chinese and a Latin word or number (SJE/ZY/GK-09 第四条) is kept, as written.
"""

from __future__ import annotations

import math
import re
import unicodedata

CHAR_TWIPS = 210
"""The width of one CJK character at 10.5 pt (a twip is 1/20 pt); a Latin letter or digit counts as about half."""
CLOSING = "。，；：！？、）》」』】"
"""Full-width punctuation after which a space is never wanted."""


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def tidy_spaces(text: str) -> str:
    """`text` without the spaces between wide characters or after closing full-width punctuation."""
    def keep(m: re.Match[str]) -> str:
        before = m.string[m.start() - 1] if m.start() else ""
        after = m.string[m.end()] if m.end() < len(m.string) else ""
        if before and (before in CLOSING or (_wide(before) and after and _wide(after))):
            return ""
        return m.group()

    return re.sub(r"[ \t]+", keep, text)


def text_width(text: str, size_pt: float = 10.5) -> int:
    """The width of `text` in twips at `size_pt`: CJK and full-width characters count whole."""
    units = sum(1.0 if _wide(c) else 0.55 for c in text)
    return math.ceil(units * CHAR_TWIPS * size_pt / 10.5)


BREAK_AFTER = "、，）》"
BREAK_BEFORE = "（《"


def fit_title(text: str, width: int, sizes: tuple[float, ...] = (14, 12)) -> tuple[float, str]:
    """A title for a cell `width` twips wide: (size, text with at most one line break), so that it
    never breaks inside a word. One line at the largest size that fits; else two lines broken
    after 、，）》 or before （《 nearest the middle; else the smallest size, left to wrap."""
    for size in sizes:
        if text_width(text, size) <= width:
            return size, text
    cuts = [k + 1 for k, c in enumerate(text) if c in BREAK_AFTER]
    cuts += [k for k, c in enumerate(text) if c in BREAK_BEFORE]
    for size in sizes:
        fitting = [k for k in cuts if 0 < k < len(text)
                   and max(text_width(text[:k], size), text_width(text[k:], size)) <= width]
        if fitting:
            k = min(fitting, key=lambda k: abs(len(text) / 2 - k))
            return size, f"{text[:k]}\n{text[k:]}"
    return sizes[-1], text
