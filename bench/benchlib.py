"""Shared measuring tools of the benchmarks (imported by the bench_*.py scripts,
which `make bench` runs inside `odoo shell` with this folder on the path)."""

import time
import tracemalloc

from odoo import sql_db


def _proc_status_kb(field):
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def measure(env, func, memory=False):
    """Run ``func`` on a flushed, empty cache and return (result, SQL queries, seconds,
    peak memory in bytes or 0). ``memory``: False (not measured), "traced" (peak of
    Python's traced allocations: exact, but tracing slows Python down several times) or
    "rss" (growth of the process's peak resident memory, at no cost: meaningful in a
    fresh process, where memory freed earlier cannot hide the growth)."""
    env.flush_all()
    env.invalidate_all()
    counter = {"n": 0}
    original = sql_db.Cursor.execute

    def execute(self, query, params=None, log_exceptions=True):
        counter["n"] += 1
        return original(self, query, params, log_exceptions)

    sql_db.Cursor.execute = execute
    if memory == "traced":
        tracemalloc.start()
    elif memory == "rss":
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")  # reset the peak resident size (VmHWM) to the current one
        rss_before = _proc_status_kb("VmRSS")
    start = time.perf_counter()
    try:
        result = func()
        env.flush_all()
    finally:
        elapsed = time.perf_counter() - start
        peak = 0
        if memory == "traced":
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        elif memory == "rss":
            peak = (_proc_status_kb("VmHWM") - rss_before) * 1024
        sql_db.Cursor.execute = original
    return result, counter["n"], elapsed, peak


def table_columns(env, table):
    """Column names of ``table`` but its id: for copying rows in SQL."""
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'", [table]
    )
    return [row[0] for row in env.cr.fetchall()]
