"""Shared measuring tools of the benchmarks (imported by the bench_*.py scripts,
which `make bench` runs inside `odoo shell` with this folder on the path)."""

import time
import tracemalloc

from odoo import sql_db


def measure(env, func, memory=False):
    """Run ``func`` on a flushed, empty cache and return (result, SQL queries, seconds,
    peak traced Python memory in bytes or 0). Memory tracing slows Python down: it is
    only on when asked."""
    env.flush_all()
    env.invalidate_all()
    counter = {"n": 0}
    original = sql_db.Cursor.execute

    def execute(self, query, params=None, log_exceptions=True):
        counter["n"] += 1
        return original(self, query, params, log_exceptions)

    sql_db.Cursor.execute = execute
    if memory:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        result = func()
        env.flush_all()
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] if memory else 0
        if memory:
            tracemalloc.stop()
        sql_db.Cursor.execute = original
    return result, counter["n"], elapsed, peak


def table_columns(env, table):
    """Column names of ``table`` but its id: for copying rows in SQL."""
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'", [table]
    )
    return [row[0] for row in env.cr.fetchall()]
