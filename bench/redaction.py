"""What redacting every recorded network line costs: `safe_line` against a baseline.

The baseline, timed in the same run, is what lastgood did before: fold whitespace,
replace each secret's whole spelling with `str.replace`, cut. `safe_line` also finds
any 8-character piece of an environment value, in any ASCII case, and through `%XX`
escapes, but reads only as much of a long text as the line needs. Figures are
microseconds per line (best of `--repeat` rounds) and the ratio to the baseline; a
probe or delivery calls it once per failure (and per version or text reading).

    python bench/redaction.py [--repeat 5] [--number 200]
"""

from __future__ import annotations

import argparse
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from incident.core.secrets import DETAIL_MAX_CHARS, Secrets, safe_line

VALUES = ("Hdr.eyJhbGciOi.Tok3nZq81", "Pth9xQ|SecretK2Vb", "Qry+8/kTsecret=Zz")
LITERALS = ("Bearer ${TOKEN}", "http://127.0.0.1:9090/${PATH}?q=${QUERY}", "application/json")
SECRETS = Secrets(values=VALUES, literals=LITERALS)


def baseline(text: str) -> str:
    """Fold, replace whole spellings, cut: the redaction this replaced."""
    flat = " ".join(text.split())
    for secret in sorted({*VALUES, *LITERALS}, key=len, reverse=True):
        for spelling in {secret, repr(secret)[1:-1], repr(secret.encode())[2:-1]}:
            flat = flat.replace(spelling, "***")
    if len(flat) > DETAIL_MAX_CHARS:
        flat = flat[: DETAIL_MAX_CHARS - 1].rstrip() + "…"
    return flat


LINES = {
    "empty detail": "",
    "60-char detail": "HTTP 503 (expected 200) upstream said: service unavailable!!",
    "160-char line with a token": "x" * 120 + f" Bearer {VALUES[0]} more",
    "4 KiB body": ("lorem ipsum dolor sit amet " * 160)[:4000] + f" {VALUES[1]}",
    "1 MiB one-line body": "v" * (1 << 20),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--number", type=int, default=200)
    parser.add_argument(
        "--quick", action="store_true", help="a few seconds, to show it still runs (CI)"
    )
    args = parser.parse_args()
    if args.quick:
        args.repeat, args.number = 1, 20
    print(f"{'line':<28} {'baseline µs':>12} {'safe_line µs':>13} {'ratio':>7}")
    for name, text in LINES.items():
        times = {}
        for label, function in (("baseline", baseline), ("safe_line", _safe)):
            rounds = timeit.repeat(
                lambda f=function, t=text: f(t), number=args.number, repeat=args.repeat
            )
            times[label] = min(rounds) / args.number * 1e6
        ratio = times["safe_line"] / times["baseline"] if times["baseline"] else float("nan")
        print(f"{name:<28} {times['baseline']:>12.1f} {times['safe_line']:>13.1f} {ratio:>6.1f}x")
    return 0


def _safe(text: str) -> str:
    return safe_line(text, SECRETS)


if __name__ == "__main__":
    raise SystemExit(main())
