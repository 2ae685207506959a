"""HTTP side of bench_portal_orders.sh: logs the portal buyer in on both servers (the
database with b2b_customer_portal and the same data without it), then times each page,
interleaving the servers so that both see the same machine load. Prints a Markdown table
and a JSON line.

Usage: portal_orders_client.py OURS_URL STOCK_URL DATA_JSON"""

import json
import re
import statistics
import sys
import time

import requests

REPEAT = 15
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


def main():
    ours, stock, data = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    site = data["sites"][2]
    pages = [
        ("stock /my/orders (database without b2b_customer_portal)", stock, "/my/orders"),
        ("/my/orders", ours, "/my/orders"),
        ("/my/orders?site=&groupby=status", ours, f"/my/orders?site={site}&groupby=status"),
        ("/my/orders?groupby=month", ours, "/my/orders?groupby=month"),
        ("/my/orders?groupby=site&status=confirmed", ours, "/my/orders?groupby=site&status=confirmed"),
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
    timings = {label: [] for label, _base, _path in pages}
    sizes = {}
    for round_ in range(WARMUP + REPEAT):
        for label, base, path in pages:
            started = time.perf_counter()
            response = sessions[base].get(base + path, timeout=600)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (label, response.status_code)
            assert "o_b2b_order_notice" not in response.text, label
            sizes[label] = len(response.content)
            if round_ >= WARMUP:
                timings[label].append(elapsed)
    stock_median = statistics.median(timings[pages[0][0]])
    stock_page50 = statistics.median(timings["stock /my/orders/page/50"])
    print(f"\n{data['orders']} orders, {data['lines']} lines, 5 sites; median of {REPEAT} requests\n")
    print("| page | median ms | vs stock /my/orders | response KiB |")
    print("| --- | --- | --- | --- |")
    results = {}
    for label, _base, _path in pages:
        median = statistics.median(timings[label])
        reference = stock_page50 if "page/50" in label else stock_median
        results[label] = {"median_ms": round(median * 1000), "ratio": round(median / reference, 2)}
        print(f"| {label} | {median * 1000:.0f} | {median / reference:.2f}x | {sizes[label] / 1024:.0f} |")
    print(json.dumps({"orders": data["orders"], "lines": data["lines"], "results": results}))


if __name__ == "__main__":
    main()
