"""`latency` as text (figures and a histogram) and as a JSON document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pusher_doctor.triage.model import LatencyReport

if TYPE_CHECKING:
    from pusher_doctor.render.terminal import TerminalReport

BAR_WIDTH = 40


def latency_to_dict(report: LatencyReport) -> dict[str, Any]:
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA

    def rounded(values: dict[str, float]) -> dict[str, float]:
        return {k: round(v, 3) for k, v in values.items()}

    return {"schema": TRIAGE_SCHEMA, "ok": report.ok, "channel": report.channel,
            "sent": report.sent, "received": report.received, "lost": report.lost, "refused": report.refused,
            "out_of_order": report.out_of_order, "duplicated": report.duplicated, "rate": report.rate,
            "duration_s": round(report.duration_s, 3), "latency_ms": rounded(report.stats),
            "rest_ms": rounded(report.rest_stats),
            "histogram": [{"from_ms": bound, "count": n} for bound, n in report.histogram],
            "interrupted": report.interrupted, "unsent": report.unsent}


def _figures(values: dict[str, float]) -> str:
    return "  ".join(f"{name} {value:.1f}" for name, value in values.items()) or "none"


def show_latency(term: TerminalReport, report: LatencyReport) -> None:
    term.heading(f"pusher-doctor latency: {report.sent} probe events on {report.channel} at {report.rate:g}/s")
    term.line(("trigger -> receive (ms)  ", "bold"), _figures(report.stats), indent=2)
    term.line(("REST call alone (ms)     ", "bold"), _figures(report.rest_stats), indent=2)
    if report.interrupted:
        term.line(("interrupted: the figures are of the probes sent until then", "bold yellow"), indent=2)
    if report.unsent:
        term.line(((f"not sent: {report.unsent} probes; the server's answers were so slow that the run fell "
                    "a whole --timeout behind its plan"), "bold red"), indent=2)
    style = "bold red" if report.lost or report.refused else "green"
    term.line(((f"received {report.received} of {report.sent}; lost {report.lost}, refused {report.refused}, out of "
               f"order {report.out_of_order}, duplicated {report.duplicated}"), style), indent=2)
    peak = max((n for _, n in report.histogram), default=0)
    if peak:
        term.console.print()
        bounds = [b for b, _ in report.histogram]
        for index, (bound, n) in enumerate(report.histogram):
            if not n:
                continue
            upper = f"{bounds[index + 1]:g}" if index + 1 < len(bounds) else "…"
            bar = "█" * max(1, round(n / peak * BAR_WIDTH))
            term.line((f"{bound:>5g}-{upper:<5} ms ", "dim"), (bar, "cyan"), f" {n}", indent=2)
