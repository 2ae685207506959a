"""HTTP side of bench_portal_orders.sh: logs the portal buyer in on both servers (the
database with b2b_customer_portal and the same data without it), then times each page,
interleaving the servers so that both see the same machine load. Prints a Markdown table
and a JSON line.

With B2B_BENCH_SERVERS="<pid>:<database> <pid>:<database>" (ours, then stock), it also reads
the CPU time each request costs the server: the Odoo process and the PostgreSQL backends of
its database (Linux /proc, 1/100 s ticks, so averaged over the requests). Unlike wall time,
it does not grow when other processes load the machine.

Usage: portal_orders_client.py OURS_URL STOCK_URL DATA_JSON"""

import json
import os
import re
import statistics
import sys
import time

import requests

# requests per page after the warm-up (B2B_BENCH_REPEAT to measure longer on a noisy machine)
REPEAT = int(os.environ.get("B2B_BENCH_REPEAT", "15"))
WARMUP = 3


def login(base, user, password):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=120)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/web/login",
        data={"login": user, "password": password, "csrf_token": token, "redirect": "/my/orders"},
        timeout=120,
    )
    response.raise_for_status()
    assert "/web/login" not in response.url, f"login refused on {base}"
    return session


def cpu_seconds(pid, database):
    """CPU time so far of the Odoo process ``pid`` and of PostgreSQL's backends of ``database``."""
    pids = [pid]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as file:
                    title = file.read().decode(errors="replace")
            except OSError:
                continue
            # a backend's title: "postgres: <user> <database> <host>(<port>) <state>"
            if title.startswith("postgres: ") and f" {database} " in title:
                pids.append(entry)
    ticks = 0
    for one in pids:
        try:
            with open(f"/proc/{one}/stat") as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def main():
    ours, stock, data = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    site = data["sites"][2]
    pages = [
        ("stock /my/orders (database without b2b_customer_portal)", stock, "/my/orders"),
        ("/my/orders", ours, "/my/orders"),
        ("/my/orders?site=&groupby=status", ours, f"/my/orders?site={site}&groupby=status"),
        ("/my/orders?groupby=month", ours, "/my/orders?groupby=month"),
        ("/my/orders?groupby=site&status=confirmed", ours, "/my/orders?groupby=site&status=confirmed"),
        ("/my/orders?groupby=order_type", ours, "/my/orders?groupby=order_type"),
        ("/my/orders?search=<product reference>", ours, f"/my/orders?search={data['product']}"),
        (
            "/my/orders?date_begin=&date_end=&groupby=contact",
            ours,
            "/my/orders?date_begin=2025-06-01&date_end=2025-12-31&groupby=contact",
        ),
        ("/my/orders/page/50", ours, "/my/orders/page/50"),
        ("stock /my/orders/page/50", stock, "/my/orders/page/50"),
        ("/my/quotes?groupby=status", ours, "/my/quotes?groupby=status"),
        ("/my/orders/export?site= (CSV)", ours, f"/my/orders/export?site={site}"),
        ("/my/orders/export (CSV, every line)", ours, "/my/orders/export"),
    ]
    sessions = {base: login(base, data["login"], data["login"]) for base in (ours, stock)}
    servers = [server.split(":", 1) for server in os.environ.get("B2B_BENCH_SERVERS", "").split()]
    servers = dict(zip((ours, stock), servers, strict=True)) if servers else {}
    timings = {label: [] for label, _base, _path in pages}
    cpu = {label: 0.0 for label, _base, _path in pages}
    sizes = {}
    for round_ in range(WARMUP + REPEAT):
        for label, base, path in pages:
            cpu_before = cpu_seconds(*servers[base]) if base in servers else 0.0
            started = time.perf_counter()
            response = sessions[base].get(base + path, timeout=600)
            elapsed = time.perf_counter() - started
            cpu_used = cpu_seconds(*servers[base]) - cpu_before if base in servers else 0.0
            assert response.status_code == 200, (label, response.status_code)
            assert "o_b2b_order_notice" not in response.text, label
            sizes[label] = len(response.content)
            if round_ >= WARMUP:
                timings[label].append(elapsed)
                cpu[label] += cpu_used
    stock_median = statistics.median(timings[pages[0][0]])
    stock_page50 = statistics.median(timings["stock /my/orders/page/50"])
    print(f"\n{data['orders']} orders, {data['lines']} lines, 5 sites; median of {REPEAT} requests\n")
    stock_cpu = cpu[pages[0][0]] or 1.0
    stock_cpu50 = cpu["stock /my/orders/page/50"] or 1.0
    print("| page | median ms | vs stock /my/orders | server CPU ms (mean) | CPU vs stock | response KiB |")
    print("| --- | --- | --- | --- | --- | --- |")
    results = {}
    for label, _base, _path in pages:
        median = statistics.median(timings[label])
        reference = stock_page50 if "page/50" in label else stock_median
        cpu_reference = stock_cpu50 if "page/50" in label else stock_cpu
        results[label] = {
            "median_ms": round(median * 1000),
            "ratio": round(median / reference, 2),
            "cpu_ms": round(cpu[label] / REPEAT * 1000),
            "cpu_ratio": round(cpu[label] / cpu_reference, 2),
        }
        print(
            f"| {label} | {median * 1000:.0f} | {median / reference:.2f}x | {cpu[label] / REPEAT * 1000:.0f} "
            f"| {cpu[label] / cpu_reference:.2f}x | {sizes[label] / 1024:.0f} |"
        )
    print(json.dumps({"orders": data["orders"], "lines": data["lines"], "results": results}))


if __name__ == "__main__":
    main()
