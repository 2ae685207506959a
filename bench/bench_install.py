"""Install of the six addons on a company's history vs on the same database without it
(issue 17), run by bench/bench_install.sh (plain Python: Odoo runs in subprocesses, through
tests/install_existing/odoo_databases.py, as in tests/test_install_existing.py).

Databases (named after B2B_TEST_DB, kept between runs while their recipe is unchanged):
- <test db>_bi_base: a French company with the standard modules only (sale_management,
  sale_stock, account_payment, l10n_fr_account);
- <test db>_bi_seed_<size>: the same with a seed history made by standard Odoo's ORM
  (tests/install_existing/history.py) at 1/B2B_BENCH_COPIES (default 50) of the bench's
  scale: customers with two delivery sites and a buyer, confirmed orders of 5 lines (and a
  service on every fourth), three quarters of them delivered, invoiced, posted (hashed) and
  80 % of those paid and reconciled, the rest delivered only, partly delivered (a backorder
  left) or open; a customer billed to its head office, one in US dollars, two under a
  fiscal position; a draft invoice and a few quotations;
- <test db>_bi_history_<size>: the seed copied B2B_BENCH_COPIES times in SQL
  (bench/history_multiply.py), each copy for customers of its own, to
  B2B_BENCH_CUSTOMERS customers (default 2000), B2B_BENCH_ORDERS orders (20000) and
  B2B_BENCH_INVOICES posted invoices (15000).

Measured, each install in a fresh copy and a fresh process:
- "empty": the six addons installed on the base (no history);
- "history": installed on the history (the pre_init_hooks fill the new columns in SQL);
- "seed": installed on the seed history (1/B2B_BENCH_COPIES of the scale);
- "seed, no hooks": the same with the addons' pre_init_hooks switched off (a copy of the
  addons without them), so the ORM computes every new stored field record by record: the
  install as it was before, measured on the seed (it grows with the history: at the full
  scale set B2B_BENCH_BEFORE=full; B2B_BENCH_BEFORE=0 skips it). That install fails on the
  orders of a customer invoiced to its head office (the constraint on the computed payer):
  in its copy they are invoiced to the customer itself.
Reported: seconds, peak resident memory of the Odoo process, rows written (inserted, updated,
deleted, from PostgreSQL's statistics) in the order and invoice tables and in all tables, and
the stored fields the ORM computed on existing rows.
"""

import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "install_existing"))
import history_multiply
import odoo_databases as odb

ROOT = odb.ROOT

CUSTOMERS = int(os.environ.get("B2B_BENCH_CUSTOMERS", 2000))
ORDERS = int(os.environ.get("B2B_BENCH_ORDERS", 20000))
INVOICES = int(os.environ.get("B2B_BENCH_INVOICES", 15000))
COPIES = int(os.environ.get("B2B_BENCH_COPIES", 50))
SIZE = f"{CUSTOMERS}c_{ORDERS}o_{INVOICES}i"
SEED_CUSTOMERS, SEED_ORDERS, SEED_INVOICES = CUSTOMERS // COPIES, ORDERS // COPIES, INVOICES // COPIES
SEED_SIZE = f"{SEED_CUSTOMERS}c_{SEED_ORDERS}o_{SEED_INVOICES}i"
PREFIX = f"{os.environ.get('B2B_TEST_DB', 'b2b_test')}_bi"
BASE_DB = f"{PREFIX}_base"
SEED_DB = f"{PREFIX}_seed_{SEED_SIZE}"
HISTORY_DB = f"{PREFIX}_history_{SIZE}"
RUN_DB = f"{PREFIX}_run"
LOGS = ROOT / ".cache" / "bench_install"
LARGE_TABLES = ("sale_order", "sale_order_line", "account_move", "account_move_line")
BILLED_TO_SELF = """
    UPDATE sale_order so SET partner_invoice_id = customer.commercial_partner_id
      FROM res_partner customer, res_partner billed
     WHERE customer.id = so.partner_id AND billed.id = so.partner_invoice_id
       AND billed.commercial_partner_id != customer.commercial_partner_id
"""
# after the invoiced orders: one in twenty partly delivered, one in twenty open, the rest
# delivered only
SEED_PARTLY = max(SEED_ORDERS // 20, 1)
SEED_ENV = {
    "B2B_HISTORY_CUSTOMERS": str(SEED_CUSTOMERS),
    "B2B_HISTORY_ORDERS": str(SEED_ORDERS),
    "B2B_HISTORY_INVOICES": str(SEED_INVOICES),
    "B2B_HISTORY_DELIVERED": str(max(SEED_ORDERS - SEED_INVOICES - 2 * SEED_PARTLY, 0)),
    "B2B_HISTORY_PARTLY": str(SEED_PARTLY),
    "B2B_HISTORY_LINES": "5",
    "B2B_HISTORY_PAID": "0.8",
    "B2B_HISTORY_CHUNK": "200",
}


def log_path(name):
    LOGS.mkdir(parents=True, exist_ok=True)
    path = LOGS / f"{name}.log"
    path.unlink(missing_ok=True)
    return path


def table_writes(dbname):
    rows = odb.query(
        dbname, "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables WHERE schemaname = 'public'"
    )
    return dict(rows)


def build():
    key = odb.source_key(odb.HERE / "odoo_databases.py")
    if odb.cached_key(BASE_DB) != key:
        started = time.monotonic()
        odb.init(BASE_DB, log_path("base_build"))
        odb.set_cached_key(BASE_DB, key)
        print(f"built {BASE_DB} in {time.monotonic() - started:.0f} s", flush=True)
    seed_key = odb.source_key(odb.HERE / "history.py", odb.HERE / "odoo_databases.py") + SEED_SIZE
    if odb.cached_key(SEED_DB) != seed_key:
        started = time.monotonic()
        odb.clone(BASE_DB, SEED_DB)
        log = log_path(f"seed_build_{SEED_SIZE}")
        odb.shell(SEED_DB, "history.py", log, env=SEED_ENV)
        odb.query(SEED_DB, "VACUUM ANALYZE")
        odb.set_cached_key(SEED_DB, seed_key)
        print(f"built {SEED_DB} in {time.monotonic() - started:.0f} s: {odb.read_json_line(log)}", flush=True)
    history_key = seed_key + odb.source_key(Path(__file__).with_name("history_multiply.py")) + str(COPIES)
    if odb.cached_key(HISTORY_DB) != history_key:
        started = time.monotonic()
        odb.clone(SEED_DB, HISTORY_DB)
        base_ids = dict(
            odb.query(
                BASE_DB,
                " UNION ALL ".join(
                    f"SELECT '{table}', COALESCE(max(id), 0) FROM {table}"
                    for table in (*history_multiply.HISTORY_TABLES, "product_product")
                ),
            )
        )
        connection = odb.connect(HISTORY_DB)
        connection.autocommit = False
        try:
            history_multiply.multiply(
                connection,
                base_ids,
                COPIES,
                seed_stock=10 * SEED_ORDERS + 1000,  # what history.py puts in stock
                full_stock=10 * ORDERS + 1000,
                log=lambda message: print(f"  {message}", flush=True),
            )
        finally:
            connection.close()
        odb.query(HISTORY_DB, "VACUUM ANALYZE")
        odb.set_cached_key(HISTORY_DB, history_key)
        print(f"built {HISTORY_DB} in {time.monotonic() - started:.0f} s", flush=True)
    for dbname in (SEED_DB, HISTORY_DB):
        connection = odb.connect(dbname)
        try:
            print(f"{dbname}: {json.dumps(history_multiply.counts(connection))}", flush=True)
        finally:
            connection.close()


def addons_without_hooks(into):
    """A copy of the addons whose manifests declare no pre_init_hook."""
    target = Path(into) / "addons"
    shutil.copytree(ROOT / "addons", target, ignore=shutil.ignore_patterns("tests", "i18n", "static"))
    for manifest in target.glob("*/__manifest__.py"):
        text = manifest.read_text(encoding="utf-8")
        manifest.write_text(re.sub(r'\n\s*"pre_init_hook": "\w+",', "", text), encoding="utf-8")
    # the module's static files (icons) are not needed to install it, its i18n is
    for addon in target.iterdir():
        if (ROOT / "addons" / addon.name / "i18n").is_dir():
            shutil.copytree(ROOT / "addons" / addon.name / "i18n", addon / "i18n")
    return target


def measure(name, template, conf=odb.CONF, prepare=None):
    odb.clone(template, RUN_DB)
    if prepare:
        odb.query(RUN_DB, prepare)
    odb.query(RUN_DB, "VACUUM ANALYZE")
    counts = {table: odb.query(RUN_DB, f"SELECT count(*) FROM {table}")[0][0] for table in LARGE_TABLES}
    before = table_writes(RUN_DB)
    log = log_path(f"install_{name.replace(' ', '_').replace(',', '')}")
    seconds, peak = odb.install(RUN_DB, odb.B2B_ADDONS, log, conf=conf)
    time.sleep(2)  # statistics are flushed when the backend ends
    after = table_writes(RUN_DB)
    writes = {table: after.get(table, 0) - before.get(table, 0) for table in after}
    computed = sorted(set(re.findall(r"Prepare computation of ([\w.]+)", log.read_text(encoding="utf-8"))))
    odb.drop(RUN_DB)
    result = {
        "install": name,
        "seconds": round(seconds, 1),
        "peak_mib": round(peak),
        "rows_written_large_tables": sum(writes.get(table, 0) for table in LARGE_TABLES),
        "rows_written": sum(writes.values()),
        "rows": counts,
        "computed_per_record": computed,
    }
    print(json.dumps(result), flush=True)
    return result


def main():
    build()
    results = [measure("empty", BASE_DB), measure("history", HISTORY_DB), measure("seed", SEED_DB)]
    before = os.environ.get("B2B_BENCH_BEFORE", "1")
    if before != "0":
        with tempfile.TemporaryDirectory(prefix="b2b_nohooks_") as tmp:
            addons = addons_without_hooks(tmp)
            standard = odb.options()["addons_path"].split(",")[0]
            conf = odb.write_conf(Path(tmp) / "odoo.conf", addons_path=f"{standard},{addons}")
            # Without the hooks Odoo checks every order whose payer it computes: the orders of
            # a customer invoiced to another company (its head office) stop the install. They
            # are invoiced to the customer itself in this copy, so that the install completes.
            results.append(measure("seed, no hooks", SEED_DB, conf=conf, prepare=BILLED_TO_SELF))
            if before == "full":
                results.append(measure("history, no hooks", HISTORY_DB, conf=conf, prepare=BILLED_TO_SELF))
    empty, history = results[0], results[1]
    print(f"\nInstall of the six addons, history of {SIZE} (seed of {SEED_SIZE} copied {COPIES} times):\n")
    print("| install | seconds | peak memory (MiB) | rows written: orders, lines, invoices | all tables |")
    print("| --- | --- | --- | --- | --- |")
    for result in results:
        print(
            f"| {result['install']} | {result['seconds']} | {result['peak_mib']} | "
            f"{result['rows_written_large_tables']:,} | {result['rows_written']:,} |"
        )
    print(
        f"\nPart that grows with the history: {history['seconds'] - empty['seconds']:.1f} s "
        f"(target < 60 s); peak memory {history['peak_mib'] / max(empty['peak_mib'], 1):.2f}x the empty install's."
    )
    for result in results:
        if result["computed_per_record"]:
            fields = ", ".join(result["computed_per_record"])
            print(f"{result['install']}: computed on existing rows by the ORM: {fields}")
    for result in results[1:]:
        print(f"rows in the {result['install']} database: {result['rows']}")


if __name__ == "__main__":
    main()
