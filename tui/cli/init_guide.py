"""`lastgood init`'s questions for what the guide's words need of the service.

"Error rates returning to baseline levels" needs the error ratio while healthy: the
error-rate probe's `baseline:`. Asked at a terminal once Prometheus has answered the
error query (its answer now, before any bad day, is the default; `none` without
one), or given with `--error-baseline`; left out, the runbook says in a comment how
to set one, and init says so in its report.
"""

from __future__ import annotations

from math import isfinite

from msgspec.structs import replace

from incident.core.samples import Outcome, Sample
from runbooks.starter import StarterAnswers
from tui.cli.arguments import Arguments
from tui.cli.errors import CliError
from tui.cli.init_asking import Ask, asked

NONE = "none"
"""The answer that leaves a question's setting out, typed at a terminal."""


def baseline_problem(text: str, what: str) -> str | None:
    """Why `text` is not an error ratio while healthy (0-1), or None."""
    try:
        value = float(text)
    except ValueError:
        return f"{what} {text!r}: a ratio from 0 to 1 (0.002 for 0.2%), or {NONE}"
    if not isfinite(value) or not 0 <= value <= 1:
        return f"{what} {text!r}: a ratio from 0 to 1 (0.002 for 0.2%)"
    return None


def option_problems(args: Arguments) -> list[str]:
    """The options of this module refused before any question is asked."""
    problems = []
    if args.error_baseline is not None:
        if args.no_prometheus:
            problems.append("--error-baseline needs a Prometheus URL")
        elif problem := baseline_problem(f"{args.error_baseline:g}", "--error-baseline"):
            problems.append(problem)
    return problems


def with_baseline(
    args: Arguments, ask: Ask | None, answers: StarterAnswers, tried: Sample | None
) -> StarterAnswers:
    """`answers` with the error-rate baseline given, or asked at a terminal."""
    if not answers.prometheus_url:
        if args.error_baseline is not None:
            raise CliError("--error-baseline needs a Prometheus URL")
        return answers
    if args.error_baseline is not None:
        return replace(answers, error_baseline=float(args.error_baseline))
    if ask is None:
        return answers
    now = tried.value if tried is not None and tried.outcome is Outcome.OK else None
    reads = f"; Prometheus reads {now:g} now" if now is not None else ""
    question = (
        f"Error-rate baseline, the error ratio while healthy (0-1{reads}; "
        f"{NONE}: Check health asks what was seen)"
    )
    default = f"{now:g}" if now is not None else NONE

    def check(text: str) -> str | None:
        if text.strip().lower() == NONE:
            return None
        return baseline_problem(text.strip(), "error-rate baseline")

    answer = asked(ask, question, default, check).strip()
    if answer.lower() == NONE:
        return answers
    return replace(answers, error_baseline=float(answer))


def baseline_line(answers: StarterAnswers) -> str | None:
    """What init says of the baseline: set, or how to set one; None without Prometheus."""
    if not answers.prometheus_url:
        return None
    if answers.error_baseline is not None:
        return (
            f"baseline: error ratio {answers.error_baseline:g} while healthy "
            "(Check health compares with it)"
        )
    return (
        "no error-rate baseline: Check health will ask what was seen; set the probe's "
        "baseline: (or --error-baseline), or record one with `lastgood baseline ID error-rate`"
    )
