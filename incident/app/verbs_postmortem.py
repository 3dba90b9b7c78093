"""The post-mortem's verbs: what the close-out and the meeting record, also after close.

Most are offered on the TUI's post-mortem screen (`Verb.postmortem`); each names the
one use case every face calls.
"""

from __future__ import annotations

from incident.app.params import Kind, Param
from incident.app.verb import R, Verb

POSTMORTEM_VERBS: tuple[Verb, ...] = (
    Verb(
        "rca",
        "Root cause",
        "Record the preliminary root-cause analysis (also after close).",
        R,
        (Param("text", "the root cause as understood now", Kind.LONG_TEXT, True, True, "TEXT"),),
        use_case="incident.app.postmortem:rca",
        postmortem=True,
    ),
    Verb(
        "factor",
        "Contributing factor",
        "Record a contributing factor besides the root cause (also after close).",
        R,
        (Param("text", "what made it possible or worse", Kind.LONG_TEXT, True, True, "TEXT"),),
        use_case="incident.app.followup:factor",
        postmortem=True,
    ),
    Verb(
        "action",
        "Action item",
        "Add a post-mortem action item (also after close).",
        R,
        (
            Param("text", "what is to be done", Kind.LONG_TEXT, True, True, "TEXT"),
            Param("owner", "who owns it", Kind.NAME, metavar="NAME"),
            Param("due", "by when", Kind.DATE, metavar="YYYY-MM-DD"),
            Param("priority", "how urgent", Kind.CHOICE, choices=("P1", "P2", "P3")),
            Param(
                "type",
                "what it does about the incident",
                Kind.CHOICE,
                choices=("mitigate", "prevent", "detect", "process", "other"),
            ),
            Param("ticket", "the tracker's http(s) URL", metavar="URL"),
        ),
        use_case="incident.app.postmortem:action_item",
        postmortem=True,
    ),
    Verb(
        "action-done",
        "Action done",
        "Mark a post-mortem action item done, by its number in the report.",
        R,
        (
            Param("number", "the action item's number", Kind.COUNT, True, True, "N"),
            Param("note", "what was done", metavar="TEXT"),
        ),
        use_case="incident.app.followup:action_done",
        postmortem=True,
    ),
    Verb(
        "report-status",
        "Report status",
        "Set the post-mortem report's status, owner and reviewers (what is left out stays).",
        R,
        (
            Param(
                "status",
                "draft, or reviewed once closed",
                Kind.CHOICE,
                choices=("draft", "reviewed"),
            ),
            Param("owner", "who owns the report", Kind.NAME, metavar="NAME"),
            Param("reviewers", "comma-separated names", Kind.NAMES, metavar="A,B"),
        ),
        use_case="incident.app.followup:report_status",
        postmortem=True,
    ),
    Verb(
        "measure-impact",
        "Measure impact",
        "Count failed and all requests over the impact window with Prometheus' increase().",
        R,
        (
            Param(
                "failed",
                "counter selector of failed requests",
                required=True,
                metavar="PROMQL",
            ),
            Param("total", "counter selector of all requests", required=True, metavar="PROMQL"),
            Param(
                "prometheus",
                "Prometheus' URL (default: the runbook's first prometheus probe's)",
                metavar="URL",
            ),
        ),
        tui=False,
    ),
    Verb(
        "lesson",
        "Lesson",
        "Record a lesson learned (also after close).",
        R,
        (
            Param("text", "the lesson", Kind.LONG_TEXT, True, True, "TEXT"),
            Param(
                "kind",
                "what went well, what went wrong, or where we got lucky",
                Kind.CHOICE,
                choices=("went-well", "went-wrong", "lucky"),
            ),
        ),
        use_case="incident.app.postmortem:lesson",
        postmortem=True,
    ),
    Verb(
        "schedule-postmortem",
        "Book post-mortem",
        "Book the blameless post-mortem, to start within 24-48 h of the resolution (the "
        "guide's words; sooner is said, past 48 h needs a reason).",
        R,
        (
            Param(
                "at",
                "start time, not in the past: 2026-12-08 14:00 (in this machine's zone, as"
                " the report) or with a zone, 2026-12-08T14:00Z",
                Kind.LOCAL_MOMENT,
                required=True,
                metavar="TIME",
            ),
            Param(
                "duration",
                "minutes (default: 60)",
                Kind.DURATION,
                metavar="MIN",
            ),
            Param("attendees", "comma-separated names", Kind.NAMES, metavar="A,B"),
            Param(
                "force",
                "kept for older scripts: a --reason alone books more than 48 h after resolution",
                Kind.FLAG,
            ),
            Param("reason", "why, for a start more than 48 h after resolution", metavar="TEXT"),
            Param(
                "organizer",
                "the organizer's email: the calendar file becomes an invitation (METHOD:REQUEST)"
                " to the attendees given by address",
                metavar="EMAIL",
            ),
        ),
        use_case="incident.app.postmortem:schedule",
        postmortem=True,
    ),
)
"""In the order help lists them, after the other recording verbs."""
