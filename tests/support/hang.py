"""The one wall-clock bound the tests use.

Tests assert behaviour, not speed: speed targets live in `bench/`. What a test may still say
about time is that a hostile input does not hang the run or blow up its work (a quadratic
loop, a decompression bomb, a FIFO opened for reading). `HANG_SECONDS` is far above anything
a slow or busy machine takes for the inputs here, so only such a failure passes it.
"""

from __future__ import annotations

HANG_SECONDS = 60.0
"""A run over one hostile input that takes longer than this has hung or blown up its work."""
