"""`lastgood init`'s questions for what the guide's words need of the service.

"Update the status page and notify all stakeholders" needs to know whether there is a
page: its URL (`status_page: {url: ...}`), or `none`, asked at a terminal (no default:
either answer is a choice) or given with `--status-page`; left out, the runbook says in
a comment how to set either.

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


def page_problem(text: str, what: str) -> str | None:
    """Why `text` is neither a status page's URL nor `none`, or None."""
    if text.strip().lower() == NONE:
        return None
    if not text.strip():
        return f"{what}: give the page's URL, or {NONE} if people read none"
    from runbooks.build_status_page import url_problem_of_page

    problem = url_problem_of_page(text.strip())
    return f"{what}: {problem}" if problem else None


def with_page(args: Arguments, ask: Ask | None, answers: StarterAnswers) -> StarterAnswers:
    """`answers` with the status page given, or asked at a terminal: a URL, or `none`."""
    given = args.status_page
    if given is None and ask is not None:
        question = f"Status page URL people read for incidents ({NONE}: you have none)"
        given = asked(ask, question, None, lambda text: page_problem(text, "status page"))
    if given is None:
        return answers
    given = given.strip()
    return replace(answers, status_page=NONE if given.lower() == NONE else given)


def page_line(answers: StarterAnswers) -> str:
    """What init says of the status page."""
    if answers.status_page == NONE:
        return "status page: none (the resolution message alone communicates it)"
    if answers.status_page is not None:
        return (
            f"status page: {answers.status_page} (Communicate resolution stays open until "
            "`lastgood status-page ID` records it updated)"
        )
    return (
        "no status page given: the runbook's comment says how to name one (or none); "
        "--status-page URL|none"
    )


def option_problems(args: Arguments) -> list[str]:
    """The options of this module refused before any question is asked."""
    problems = []
    if args.status_page is not None and (
        problem := page_problem(args.status_page, "--status-page")
    ):
        problems.append(problem)
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
