#!/usr/bin/env python3
"""The summary table of perf/all.sh: reads the `RESULT part=<part> key=value ...` lines the
part scripts printed (in the files given, or stdin) and prints, for each figure of issue 10,
its value, the ratio it is judged by, the target and whether it was met in this run. Figures
of parts that did not run or failed say so instead of a value."""
import fileinput

MILLION = 1_000_000


def results():
    """{part: [fields, ...]} in the order printed; startup prints one line per count."""
    found = {}
    for line in fileinput.input():
        if not line.startswith("RESULT part="):
            continue
        fields = dict(item.split("=", 1) for item in line.split()[1:] if "=" in item)
        found.setdefault(fields["part"], []).append(fields)
    return found


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def runs(text):
    values = [number(v) for v in (text or "").split(",") if v]
    return values if values and None not in values else None


def mean(values):
    return sum(values) / len(values)


def yes(ok):
    return "yes" if ok else "no"


def at_least(ratio, target):
    return f"{ratio:.2f}", f">= {target}", yes(ratio >= target)


def rows(found):
    """(figure, value, ratio, target, met) for each figure."""
    table = []
    missing = lambda figure, part: table.append((figure, f"(no {part} result)", "", "", ""))  # noqa: E731

    ingest = found.get("ingest", [None])[-1]
    rest, bean = runs(ingest and ingest.get("rest16")), runs(ingest and ingest.get("beanstalk16"))
    nofsync = number(ingest and ingest.get("nofsync16"))
    if rest and bean:
        table.append(("durable / beanstalkd -f0, 16 clients, means",
                      f"{mean(rest):,.0f} / {mean(bean):,.0f} msg/s", *at_least(mean(rest) / max(mean(bean), 1), 1.5)))
        spread = max(abs(v - mean(rest)) for v in rest) / max(mean(rest), 1)
        table.append(("three durable 16-client runs, spread",
                      " / ".join(f"{v:,.0f}" for v in rest), f"±{spread * 100:.0f} %", "within ±15 %", yes(spread <= 0.15)))
    else:
        missing("durable / beanstalkd -f0, 16 clients", "ingest")
        missing("three durable 16-client runs, spread", "ingest")
    if rest and nofsync:
        table.append(("durable / no-fsync, 16 clients",
                      f"{mean(rest):,.0f} / {nofsync:,.0f} msg/s", *at_least(mean(rest) / nofsync, 0.85)))
    else:
        missing("durable / no-fsync, 16 clients", "ingest")
    settled = [number(ingest and ingest.get(k)) for k in ("settled_durable16", "settled_nofsync16")]
    if all(settled):
        table.append(("  the same, each run + the sync after it",
                      f"{settled[0]:,.0f} / {settled[1]:,.0f} msg/s", f"{settled[0] / settled[1]:.2f}", "(for reading)", "-"))

    batch = found.get("batch", [None])[-1]
    best, baseline = number(batch and batch.get("best")), number(batch and batch.get("baseline"))
    if best is not None and baseline:
        table.append((f"batch {batch.get('best_at')} / mkdir + create around it",
                      f"{best:,.0f} / {baseline:,.0f} msg/s", *at_least(best / baseline, 0.9)))
    else:
        missing("batch / mkdir + create", "batch")

    workers = found.get("workers", [None])[-1]
    end, before, after = (number(workers and workers.get(k)) for k in ("end_to_end_1", "loop_before", "loop_after"))
    if end and before and after:
        loop = (before + after) / 2
        table.append(("end to end, 1 worker / bare spawn loop", f"{end:,.0f} / {loop:,.0f} runs/s", *at_least(end / loop, 0.8)))
    else:
        missing("end to end / bare spawn loop", "workers")
    # The bash script's figure includes bash's own start (its floor); the compiled script's
    # is the server's part with a start that costs next to nothing.
    for kind, prefix in (("bash", ""), ("compiled", "compiled_")):
        field = lambda name: number(workers and workers.get(prefix + name))  # noqa: E731
        p50, p99, floor50, floor99 = field("p50_ms"), field("p99_ms"), field("floor_p50_ms"), field("floor_p99_ms")
        if p99 is None:
            missing(f"commit -> start p99, {kind} script", "workers")
            continue
        table.append((f"commit -> start p99 (p50), idle queue, {kind} script", f"{p99:.2f} ms ({p50:.2f} ms)", "", "< 3 ms", yes(p99 < 3)))
        if floor99 is not None:
            table.append((f"  floor: spawn -> start, no server, {kind}", f"{floor99:.2f} ms ({floor50:.2f} ms)", "", "(for reading)", "-"))

    startup = found.get("startup", [])
    idle = [f for f in startup if f.get("count") == "0"]
    scaled = sorted((f for f in startup if number(f.get("count"))), key=lambda f: number(f["count"]))
    if scaled:
        big = scaled[-1]
        count = number(big["count"])
        judged = count >= MILLION
        answer, accept = number(big.get("first_answer_s")), number(big.get("accept_s"))
        rss = max(number(big.get("rss_first_mib")) or 0, number(big.get("rss_mib")) or 0)
        label = f"{count:,.0f} queued" + ("" if judged else "*")
        table.append((f"start-up, {label}: answer / accept",
                      f"{answer:.2f} s / {accept:.2f} s", "", "< 2 s", yes(max(answer, accept) < 2) if judged else "n/a"))
        table.append((f"RSS, {label}, index built", f"{rss:.1f} MiB", f"{rss * 2**20 / count:.0f} B/msg",
                      "<= 128 MiB", yes(rss <= 128) if judged else "n/a"))
    else:
        missing("start-up, 1,000,000 queued", "startup")
        missing("RSS, 1,000,000 queued", "startup")
    if idle:
        table.append(("idle RSS (empty root)", f"{number(idle[-1]['rss_mib']):.1f} MiB", "",
                      "<= 24 MB (at filing)", "-"))
    else:
        missing("idle RSS", "startup")
    return table


def main():
    table = [("figure", "value", "ratio", "target", "met")] + rows(results())
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    for n, row in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * width for width in widths))
    if any("queued*" in row[0] for row in table):
        print("* fewer than 1,000,000 queued: the start-up targets are for a million, so not judged")


if __name__ == "__main__":
    main()
