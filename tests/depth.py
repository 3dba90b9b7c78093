"""How many examples the costliest randomized tests try (the fuzzers, the tick readers, the
tamper trials, the crash loop's kills): the suite's share, or all of them.

The README's test command runs half of each count, the same strategies; `.ci/run`
runs these tests once more with LASTGOOD_TEST_DEPTH=deep for the full counts. A
derandomized fuzzer sees the same inputs every run, so the deep pass is where its
whole corpus is checked; the suite keeps the first half of it on every change.
"""

from __future__ import annotations

import os

DEEP = os.environ.get("LASTGOOD_TEST_DEPTH") == "deep"
"""Set by `.ci/run`'s deep pass."""


def examples(deep: int) -> int:
    """`deep` examples in the deep pass, half as many in the suite."""
    return deep if DEEP else max(1, deep // 2)
