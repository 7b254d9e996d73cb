"""The benchmark report: a plain-text table for the terminal and a Markdown file."""
from __future__ import annotations


def _num(value, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _cpu(cpu: dict | None) -> str:
    """'1,973 · 457 · 27': CPU µs per request in the app's workers, the database server, wrk."""
    if not cpu or cpu.get("app") is None:
        return "–"
    return " · ".join(_num(cpu.get(part), 0) for part in ("app", "database", "wrk"))


def _page_rows(report: dict) -> list[list[str]]:
    hello = report["hello"]
    rows = [["hello world (median)", "/", _num(hello.get("rps")), _num(hello.get("p50_ms"), 2),
             _num(hello.get("p99_ms"), 2), "1.00", "–", _cpu(hello.get("cpu_us")),
             "; ".join(hello.get("errors") or [])]]
    for page in report["pages"]:
        if page.get("skipped"):
            rows.append([page["name"], "–", "–", "–", "–", "–", "–", "–", "skipped: " + page["skipped"]])
            continue
        note = "ERROR: " + "; ".join(page["errors"]) if page.get("errors") else ""
        rows.append([page["name"], page["path"], _num(page.get("rps")), _num(page.get("p50_ms"), 2),
                     _num(page.get("p99_ms"), 2), _num(page.get("ratio"), 2),
                     _num(page.get("hello_p99_ms"), 2), _cpu(page.get("cpu_us")), note])
    return rows


def _form_rows(report: dict) -> list[list[str]]:
    return [[f["name"], f"{f['ok']}/{f['count']}", _num(f.get("rps")), _num(f.get("p50_ms"), 2),
             _num(f.get("p99_ms"), 2), "; ".join(f.get("errors") or [])] for f in report["forms"]]


def _weight_rows(report: dict) -> list[list[str]]:
    return [[w["name"], _num(w["html_kb"]), _num(w["total_kb"]), _num(w["gzip_kb"]), str(len(w["assets"])),
             str(len(w["foreign"])), "; ".join(w["errors"])] for w in report["weights"]]


def _text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) if i in (0, 1, len(r) - 1) else str(c).rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)]).rstrip()


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(out)


# × hello: page req/s over hello world's, measured right before it (median of the runs);
# hello p99: hello world's p99 in that run, to tell the site's tail from the machine's;
# CPU µs/req: per request of that run, in the site's workers · PostgreSQL (– on SQLite) · wrk
PAGE_HEADER = ["page", "path", "req/s", "p50 ms", "p99 ms", "× hello", "hello p99",
               "CPU µs/req app · db · wrk", "notes"]
FORM_HEADER = ["form (POST)", "ok", "visits/s", "p50 ms", "p99 ms", "notes"]
WEIGHT_HEADER = ["page weight", "HTML KB", "total KB", "gzip KB", "assets", "other origins", "notes"]


def _summary(report: dict) -> list[str]:
    s = report["settings"]
    rss = report.get("rss", {})
    return [
        (f"{s['servers']} app servers behind one round-robin proxy, each with " if s.get("servers", 1) > 1 else "")
        + f"{s['workers']} gunicorn {s['worker_class']} workers (threads {s['threads']}) on {s['cores']} cores, "
        f"{s['connections']} connections, {s['duration_s']:g} s per page"
        + (f" (median of {s['repeat']} runs)" if s.get("repeat", 1) > 1 else "") + f", database {s['database']}"
        + (f", page cache forced on {s['cached_endpoints']}" if s.get("cached_endpoints") else "")
        + (", page cache OFF" if s.get("page_cache") is False else "")
        + (", page cache and rate limits in Redis" if s.get("redis") else ""),
        f"load average before the run: {', '.join(f'{x:.2f}' for x in s.get('load_average', ()))} "
        "(other work on the machine makes the figures noisy)",
        f"data set {report['counts']} built in {report['build_s']}",
        *([f"software: {', '.join(f'{k} {v}' for k, v in s['software'].items() if v)}"] if s.get("software") else []),
        f"peak RSS per site worker: {rss.get('each_mb')} MB (hello world: {report['hello']['rss']['each_mb']} MB)",
    ]


def render_table(report: dict) -> str:
    parts = [*_summary(report), "", _text_table(PAGE_HEADER, _page_rows(report))]
    if report["forms"]:
        parts += ["", _text_table(FORM_HEADER, _form_rows(report))]
    if report["weights"]:
        parts += ["", _text_table(WEIGHT_HEADER, _weight_rows(report))]
    return "\n".join(parts)


def render_markdown(report: dict) -> str:
    parts = [f"# Benchmark {report['started']}", "", *(f"- {line}" for line in _summary(report)), "",
             _md_table(PAGE_HEADER, _page_rows(report))]
    if report["forms"]:
        parts += ["", _md_table(FORM_HEADER, _form_rows(report))]
    if report["weights"]:
        parts += ["", _md_table(WEIGHT_HEADER, _weight_rows(report))]
    return "\n".join(parts) + "\n"
