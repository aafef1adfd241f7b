"""render/report.py: what comes from outside is escaped in the HTML page and cleaned in Markdown."""

from __future__ import annotations

from pusher_doctor.config.secret import MASK, Redactor
from pusher_doctor.render.report import TicketFacts, html_report, json_type, markdown_report
from pusher_doctor.results import CheckResult, ObservedEvent, Report, failed, passed, problem

HOSTILE = problem("server-error", '<script>alert(1)</script> \x1b[41m| pipe s3cret-value-42')
REPORT = Report((CheckResult("rest-api", "REST API", failed(HOSTILE), 1.0),),
                (ObservedEvent("h-room-1-chat", "new-staff-message", True, 12.0),), "verdict <b>", 3.0)
FACTS = TicketFacts("report <i>", (("h-room-1-chat", "new-staff-message"),), {"id": "number"}, {"pusher": "3"},
                    "now")


def test_html_escapes_markup_and_control_characters_and_masks_the_secret() -> None:
    page = html_report(REPORT, FACTS, Redactor("s3cret-value-42"))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "\x1b" not in page and "\\e[41m" in page
    assert "s3cret-value-42" not in page and MASK in page
    assert "<title>report &lt;i&gt;</title>" in page


def test_markdown_keeps_table_cells_intact() -> None:
    text = markdown_report(REPORT, FACTS, Redactor("s3cret-value-42"))
    row = next(line for line in text.splitlines() if line.startswith("| REST API"))
    assert row.count(" | ") == 4 and "\\|" in row and "s3cret" not in row


def test_json_types_are_named_as_the_frontend_reads_them() -> None:
    assert [json_type(v) for v in (None, True, 1, 1.5, "x", [], {})] == [
        "null", "boolean", "number", "number", "string", "array", "object"]


def test_markdown_shows_markup_from_outside_instead_of_letting_a_viewer_render_it() -> None:
    text = markdown_report(REPORT, FACTS, Redactor("s3cret-value-42"))
    assert "<script>" not in text and "\\<script\\>" in text
    links = markdown_report(Report((CheckResult("rest-api", "REST API", failed(problem(
        "server-error", "see ![x](https://tracker.example/p.png) and [click](https://evil.example)")), 1.0),), (),
        "v", 1.0), FACTS, Redactor("s3cret-value-42"))
    assert "\\!\\[x\\](https://tracker.example/p.png)" in links and "\\[click\\](" in links


def test_a_watch_report_counts_what_it_left_out() -> None:
    from pusher_doctor.render.report import markdown_text
    from pusher_doctor.render.watch import ReportLog, watch_document
    from pusher_doctor.triage.model import WatchEvent, WatchNotice, WatchSummary

    log = ReportLog(limit=2)
    for n in range(5):
        log.add(WatchEvent(0.0, "h-room-1-chat", "new-staff-message", str(n), None, "x", True))
        log.add(WatchNotice(0.0, "member", f"member {n} joined"))
    summary = WatchSummary(1.0, {"h-room-1-chat": {"new-staff-message": 5}}, (), (), 0, ("h-room-1-chat",))
    text = markdown_text(watch_document(summary, log, "now", {"pusher-doctor": "0"}), Redactor())
    assert "and 3 more event(s)" in text and "and 3 more notice(s)" in text
    assert "member 1 joined" in text and "member 2 joined" not in text


SHAPED = TicketFacts("report", (("h-room-1-chat", "new-staff-message"),),
                     {"id": "number", "message": "string", "sender_type": "string"}, {"pusher": "3"}, "now")


def test_the_data_shape_is_one_field_a_line_in_both_formats() -> None:
    text = markdown_report(REPORT, SHAPED, Redactor())
    assert "```\n{\n  id: number,\n  message: string,\n  sender_type: string,\n}\n```" in text
    page = html_report(REPORT, SHAPED, Redactor())
    assert "<pre>{\n  id: number,\n  message: string,\n  sender_type: string,\n}</pre>" in page
    assert "\\n" not in text and "\\n" not in page


def test_each_report_carries_a_badge_with_the_runs_result() -> None:
    assert "**Result: FAIL**" in markdown_report(REPORT, FACTS, Redactor())
    assert '<span class="badge fail">FAIL</span>' in html_report(REPORT, FACTS, Redactor())
    passing = Report((CheckResult("rest-api", "REST API", passed("ok"), 1.0),), (), "fine", 1.0)
    assert '<span class="badge pass">PASS</span>' in html_report(passing, FACTS, Redactor())


def test_the_chart_is_wide_enough_for_its_longest_label() -> None:
    from pusher_doctor.render.report import BarChart, _bar_chart

    label = "hotel-paradise-conversation-12345-chat 1200"
    svg = _bar_chart(BarChart("chart", ((label, 5.0), ("short 1", 1.0))), str)
    width = float(svg.split('width="', 1)[1].split('"', 1)[0])
    assert width >= 306 + 7 * len(label)
