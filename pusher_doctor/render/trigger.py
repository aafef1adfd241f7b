"""`trigger` as text and as a JSON document: each event sent, with its size and the server's time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pusher_doctor.triage.model import TriggerReport

if TYPE_CHECKING:
    from pusher_doctor.render.terminal import TerminalReport


def trigger_to_dict(report: TriggerReport) -> dict[str, Any]:
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA

    return {"schema": TRIAGE_SCHEMA, "ok": True, "subscribers": report.subscribers, "probe": report.probe,
            "sent": [{"channel": s.channel, "event": s.event, "bytes": s.bytes, "elapsed_ms": round(s.elapsed_ms, 1)}
                     for s in report.sent]}


def show_trigger(term: TerminalReport, report: TriggerReport) -> None:
    for sent in report.sent:
        term.line(("✓ ", "green"), (sent.event, "bold"), f" on {sent.channel}: accepted in {sent.elapsed_ms:.0f} ms "
                  f"({sent.bytes} bytes)")
    who = ("someone (not counted)" if report.subscribers is None
           else f"{report.subscribers} subscriber{'s' if report.subscribers != 1 else ''}")
    term.line((f"{who} on the channel when sent" + (f"; probe {report.probe}" if report.probe else ""), "dim"))


def not_sent_to_dict(reason: str) -> dict[str, Any]:
    """The guard said no: the document says why, and that nothing was sent."""
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA

    return {"schema": TRIAGE_SCHEMA, "ok": False, "sent": [], "not_sent": reason}


def show_not_sent(term: TerminalReport, reason: str) -> None:
    term.line(("- ", "yellow"), ("not sent: ", "bold yellow"), reason)
