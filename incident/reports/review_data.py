"""The post-mortem's review figures as plain data, for `export --format json`: the
report's status, the responders, detection, pages, the one resolution time,
contributing factors and inconsistencies, as the Markdown report states them.
"""

from __future__ import annotations

from incident.core.events import JSONValue, format_timestamp
from incident.core.timefmt import seconds
from incident.reports.analysis import (
    detection,
    impact_start_known,
    inconsistencies,
    pages,
    resolution,
    responders,
)
from incident.reports.context import ReportContext
from incident.reports.responder_parts import part_counts, role_spans


def review_data(ctx: ReportContext) -> dict[str, JSONValue]:
    state = ctx.state
    document = state.document
    figure = state.impact
    measured: JSONValue = None
    if figure is not None:
        measured = {
            "failed": figure.failed,
            "total": figure.total,
            "share": figure.share,
            "failed_no_series": figure.failed_no_series,
            "failed_query": figure.failed_query,
            "total_query": figure.total_query,
            "start": format_timestamp(figure.start),
            "end": format_timestamp(figure.end),
            "by": figure.by,
            "at": format_timestamp(figure.at),
        }
    resolved = resolution(state)
    signal = detection(state)
    parts = part_counts(ctx.events)  # each responder's parts by kind, as the report counts them
    spans = role_spans(state)
    return {
        "document": {
            "status": document.status if document else "draft",
            "owner": document.owner if document else state.commander,
            "reviewers": list(document.reviewers) if document else [],
            "set_by": document.by if document else None,
            "set_at": format_timestamp(document.at) if document else None,
        },
        "resolution": {
            "resolved_at": format_timestamp(resolved) if resolved else None,
            "impact_start_given": impact_start_known(state),
            "from_impact_start_s": seconds(resolved - state.started_at) if resolved else None,
        },
        "detection": {
            "at": format_timestamp(signal.at),
            "how": signal.how,
            "by": signal.by,
            "from_impact_start_s": seconds(signal.lag) if signal.lag is not None else None,
        },
        "paged": [
            {"at": format_timestamp(p.at), "target": p.target, "by": p.by, "how": p.how}
            for p in pages(state)
        ],
        "responders": [
            {
                "name": r.name,
                "roles": list(r.roles),
                "actions": r.actions,
                "first_at": format_timestamp(r.first_at) if r.first_at else None,
                "last_at": format_timestamp(r.last_at) if r.last_at else None,
                "parts": dict(parts.get(r.name, {})),
                "role_spans": [
                    {
                        "role": span.role,
                        "from": format_timestamp(span.start),
                        "until": format_timestamp(span.end) if span.end else None,
                    }
                    for span in spans.get(r.name, [])
                ],
            }
            for r in responders(state, ctx.events)
        ],
        "requests": measured,
        "contributing_factors": [
            {"at": format_timestamp(f.at), "by": f.by, "text": f.text}
            for f in state.contributing_factors
        ],
        "inconsistencies": [
            {"at": format_timestamp(i.at), "text": i.text}
            for i in inconsistencies(state, ctx.events)
        ],
    }
