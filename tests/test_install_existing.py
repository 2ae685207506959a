"""The six addons installed into a company that has run standard Odoo for a while (issue 17).

A database with the standard modules only (sale_management, sale_stock, account_payment,
l10n_fr_account) gets a small history (tests/install_existing/history.py: orders delivered
and invoiced, paid, open, partly delivered, to several sites, in a foreign currency, billed
to a head office, a draft invoice, hashed invoices, issued PDFs). Then:

- the six addons are installed on a copy of it: existing records get the values the addons
  would have given them, filled in SQL at install (no stored field of orders, order lines or
  invoices computed record by record), customers' exposure is the figure computed by hand, a
  summary run invoices a monthly customer's delivered orders, posted invoices are unchanged;
- they are uninstalled one by one, in reverse dependency order: an order is confirmed,
  delivered, invoiced and paid, and a portal user opens the portal over HTTP;
- each stored-data change's migration (MIGRATIONS) is run on a database built with the code
  of the commit before the change, upgraded with the current code.

Odoo runs in subprocesses (tests/install_existing/odoo_databases.py). The database of the
history is built once and kept (as a template) while history.py and Odoo are unchanged;
B2B_INSTALL_REBUILD=1 rebuilds it. Logs: .cache/install_existing/<database>/.
"""

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "install_existing"))
import odoo_databases as odb

# The commits that changed stored data, each with its version and whether it needs a migration
# script: a database built with the code of the commit before it is upgraded with the current
# code, then checked by install_existing/migration_checks.py (one check function per commit).
MIGRATIONS = [
    ("127fd28", "b2b_order_split_address", "19.0.1.1.0", True),
    # sale.order.b2b_order_type: required with a default, so Odoo fills the new column in one
    # UPDATE when it adds it (Model._init_column), no script and no computation per order
    ("7674672", "b2b_party_roles", "19.0.1.1.0", False),
    # sale.order.b2b_portal_status: stored computed, filled in SQL by the pre-migration script
    # (the same function as the install's pre_init_hook)
    ("0e53167", "b2b_customer_portal", "19.0.1.1.0", True),
    # sale.order.b2b_portal_status: a prepaying payer's quotation waits for prepayment; the
    # post-migration script recomputes the quotations' status in one UPDATE
    ("82f6732", "b2b_customer_portal", "19.0.1.2.0", True),
    # res.partner.b2b_statement_monthly: a boolean without default, no column fill (NULL is
    # False); the monthly sendings are a new table. The post-migration script drops the stale
    # French body of the remittance email (it now tells what is kept as credit)
    ("98b12dd", "b2b_customer_portal", "19.0.1.3.0", True),
]
# New stored fields of these tables must be filled in SQL at install, never computed per record
LARGE_MODELS = ("sale.order", "sale.order.line", "account.move", "account.move.line", "stock.move", "stock.picking")


def _uninstall_order():
    """The addons, each before those it depends on (b2b_replenishment before
    b2b_customer_portal): uninstalling an addon first would take its dependents with it."""
    order = []

    def visit(name):
        if name in order:
            return
        manifest = ast.literal_eval((odb.ROOT / "addons" / name / "__manifest__.py").read_text(encoding="utf-8"))
        for dependency in manifest.get("depends", []):
            if dependency in odb.B2B_ADDONS:
                visit(dependency)
        order.append(name)

    for name in odb.B2B_ADDONS:
        visit(name)
    return tuple(reversed(order))


UNINSTALL_ORDER = _uninstall_order()
PORTAL_LOGIN = "history.buyer@example.com"


def _test_database():
    """The database pytest-odoo runs on: ours are named after it, so that parallel runs (the
    CI's, developers' devtest.sh) never share one."""
    from odoo.tools import config

    names = config["db_name"]
    name = names[0] if isinstance(names, list | tuple) else names
    return name or os.environ.get("B2B_TEST_DB", "b2b_test")


PREFIX = f"{_test_database()}_inst"
STANDARD_DB = f"{PREFIX}_standard"
HISTORY_DB = f"{PREFIX}_history"
INSTALLED_DB = f"{PREFIX}_new"
UNINSTALLED_DB = f"{PREFIX}_removed"
# a port of our own, outside the project's (8069, 8169-8171, 8200-8700)
HTTP_PORT = 8790 + zlib.crc32(PREFIX.encode()) % 100
LOGS = odb.ROOT / ".cache" / "install_existing" / PREFIX


def _log(name):
    LOGS.mkdir(parents=True, exist_ok=True)
    path = LOGS / f"{name}.log"
    path.unlink(missing_ok=True)
    return path


def _errors(log):
    """ERROR/CRITICAL lines Odoo logged (tracebacks' first lines)."""
    lines = Path(log).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if re.search(r" (ERROR|CRITICAL) ", line)]


def _computed_per_record(log):
    """Stored fields of large tables the ORM prepared to compute on existing rows."""
    found = re.findall(r"Prepare computation of ([\w.]+)", Path(log).read_text(encoding="utf-8"))
    return sorted(field for field in found if field.rsplit(".", 1)[0] in LARGE_MODELS)


def _run_checks(dbname, script, name, **env):
    out = LOGS / f"{name}.json"
    out.unlink(missing_ok=True)
    odb.shell(dbname, script, _log(name), env={"B2B_CHECKS_FILE": str(out), **env})
    return json.loads(out.read_text(encoding="utf-8"))


def _snapshot(dbname, name):
    out = LOGS / f"{name}.json"
    odb.shell(dbname, "snapshot.py", _log(name), env={"B2B_SNAPSHOT_FILE": str(out)})
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def timings():
    timings = {}
    yield timings
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / "timings.json").write_text(json.dumps(timings, indent=1), encoding="utf-8")


@pytest.fixture(scope="module")
def standard(timings):
    """A French company with the standard modules only (built once, then kept as a template)."""
    key = odb.source_key(odb.HERE / "odoo_databases.py")
    if os.environ.get("B2B_INSTALL_REBUILD") == "1" or odb.cached_key(STANDARD_DB) != key:
        started = time.monotonic()
        odb.init(STANDARD_DB, _log("standard_build"))
        odb.set_cached_key(STANDARD_DB, key)
        timings["standard_build"] = round(time.monotonic() - started, 1)
    return STANDARD_DB


@pytest.fixture(scope="module")
def history(standard, timings):
    """The standard database with its history (built once, then kept as a template)."""
    key = odb.source_key(odb.HERE / "history.py", odb.HERE / "odoo_databases.py")
    if os.environ.get("B2B_INSTALL_REBUILD") == "1" or odb.cached_key(HISTORY_DB) != key:
        started = time.monotonic()
        log = _log("history_build")
        odb.clone(standard, HISTORY_DB)
        odb.shell(HISTORY_DB, "history.py", log)
        summary = odb.read_json_line(log)
        odb.query(
            HISTORY_DB,
            """INSERT INTO ir_config_parameter (key, value, create_uid, create_date, write_uid, write_date)
               VALUES ('b2b_install_test.history', %s, 1, now(), 1, now())
               ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""",
            [json.dumps(summary)],
        )
        odb.set_cached_key(HISTORY_DB, key)
        timings["history_build"] = round(time.monotonic() - started, 1)
    rows = odb.query(HISTORY_DB, "SELECT value FROM ir_config_parameter WHERE key = 'b2b_install_test.history'")
    summary = json.loads(rows[0][0])
    assert not odb.installed(HISTORY_DB, odb.B2B_ADDONS)
    return summary


@pytest.fixture(scope="module")
def snapshot_before(history):
    return _snapshot(HISTORY_DB, "snapshot_before")


@pytest.fixture(scope="module")
def installed(history, timings):
    """A copy of the history with the six addons installed: (install log, seconds)."""
    odb.clone(HISTORY_DB, INSTALLED_DB)
    log = _log("install")
    seconds, peak = odb.install(INSTALLED_DB, odb.B2B_ADDONS, log)
    timings["install"] = {"seconds": round(seconds, 1), "peak_mib": round(peak)}
    return log


def test_history_is_a_real_one(history):
    assert history["orders"] >= 120 and history["invoices"] >= 30 and history["customers"] >= 30
    assert history["paid"] and history["draft_invoices"] and history["quotations"]
    assert history["hashed"] == history["invoices"], "the sales journal does not hash its invoices"
    assert history["pdfs"], "no invoice issued as PDF"


def test_install_fills_existing_records(history, installed):
    assert odb.installed(INSTALLED_DB, odb.B2B_ADDONS) == set(odb.B2B_ADDONS)
    assert not _errors(installed), _errors(installed)[:10]
    # filled in SQL by the pre_init_hooks, so the ORM has nothing to compute on existing rows
    assert not _computed_per_record(installed), _computed_per_record(installed)
    result = _run_checks(INSTALLED_DB, "checks.py", "checks", B2B_HISTORY=json.dumps(history))
    assert not result["failures"], "\n".join(result["failures"][:40])
    monthly = result["figures"]["monthly"]
    assert monthly["orders"] and monthly["invoices"] == 1, monthly


def test_install_leaves_posted_invoices_unchanged(snapshot_before, installed):
    after = _snapshot(INSTALLED_DB, "snapshot_after")
    assert after["moves"].keys() == snapshot_before["moves"].keys()
    for move_id, before in snapshot_before["moves"].items():
        assert after["moves"][move_id] == before, f"posted invoice {before['name']} changed"
    assert any(move["inalterable_hash"] for move in after["moves"].values())
    assert any(move["pdf_checksum"] for move in after["moves"].values())
    # confirmed orders are never re-taxed
    assert after["order_lines"] == snapshot_before["order_lines"]


def test_uninstall_leaves_a_working_odoo(history, installed, timings):
    odb.clone(INSTALLED_DB, UNINSTALLED_DB)
    log = _log("uninstall")
    started = time.monotonic()
    odb.shell(UNINSTALLED_DB, "uninstall.py", log, env={"B2B_UNINSTALL": ",".join(UNINSTALL_ORDER)})
    timings["uninstall"] = round(time.monotonic() - started, 1)
    assert odb.read_json_line(log)["uninstalled"] == list(UNINSTALL_ORDER)
    assert not odb.installed(UNINSTALLED_DB, odb.B2B_ADDONS)
    assert not _errors(log), _errors(log)[:10]
    leftovers = odb.query(
        UNINSTALLED_DB,
        """SELECT table_name || '.' || column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND (column_name LIKE 'b2b%%' OR table_name LIKE 'b2b%%'
                  OR (table_name IN ('sale_order', 'sale_order_line', 'account_move') AND column_name = 'payer_id')
                  OR (table_name = 'sale_order_line'
                      AND column_name IN ('partner_shipping_id', 'partner_invoice_id', 'fiscal_position_id')))""",
    )
    assert not leftovers, leftovers

    log = _log("flow_after_uninstall")
    flow_env = {"B2B_HISTORY": json.dumps(history), "B2B_PORTAL_LOGIN": PORTAL_LOGIN}
    odb.shell(UNINSTALLED_DB, "flow.py", log, env=flow_env)
    flow = odb.read_json_line(log)
    assert not _errors(log), _errors(log)[:10]
    assert (flow["order_state"], flow["picking_state"], flow["invoice_state"], flow["invoice_status"]) == (
        "sale",
        "done",
        "posted",
        "invoiced",
    ), flow
    assert flow["payment_state"] in ("paid", "in_payment"), flow

    with odb.http_server(UNINSTALLED_DB, HTTP_PORT, _log("http_after_uninstall")) as url:
        pages = odb.portal_pages(url, PORTAL_LOGIN, PORTAL_LOGIN)
    status, final_url, text = pages["/my"]
    assert status == 200 and final_url.endswith("/my"), (status, final_url)
    assert "o_portal_my_home" in text and flow["portal_partner"] in text
    for path in ("/my/orders", "/my/invoices"):
        assert pages[path][0] == 200 and not pages[path][1].endswith("/web/login"), (path, pages[path][:2])
    assert "/my/orders" in pages and re.search(r"S\d{5}", pages["/my/orders"][2]), "the customer's orders"
    assert flow["invoice"] in pages["/my/invoices"][2], "the customer's invoices"
    odb.drop(UNINSTALLED_DB)


def _manifest_version(module):
    manifest = (odb.ROOT / "addons" / module / "__manifest__.py").read_text(encoding="utf-8")
    return re.search(r"[\"']version[\"']\s*:\s*[\"']([\d.]+)[\"']", manifest).group(1)


def _version_tuple(version):
    return tuple(int(part) for part in version.split("."))


def _code_of(commit, into):
    """The addons as they were at ``commit`` (git archive: the shared work tree is left alone)."""
    archive = subprocess.run(
        ["git", "-C", str(odb.ROOT), "archive", "--format=tar", commit, "addons"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return Path(into) / "addons"


@pytest.mark.parametrize(
    ("commit", "module", "version", "script"), MIGRATIONS, ids=[commit for commit, *_rest in MIGRATIONS]
)
def test_migration_from_commit_before(standard, timings, commit, module, version, script):
    dbname = f"{PREFIX}_mig_{commit}"
    current = _manifest_version(module)
    assert _version_tuple(current) >= _version_tuple(version), f"{module} {current} is before {version}"
    if script:
        assert (odb.ROOT / "addons" / module / "migrations" / version).is_dir(), f"no migrations/{version} in {module}"
    with tempfile.TemporaryDirectory(prefix=f"b2b_{commit}_") as tmp:
        old_addons = _code_of(f"{commit}^", tmp)
        odoo_addons = odb.options()["addons_path"].split(",")[0]
        old_conf = odb.write_conf(Path(tmp) / "odoo.conf", addons_path=f"{odoo_addons},{old_addons}")
        odb.clone(standard, dbname)
        started = time.monotonic()
        log = _log(f"migration_{commit}_old_install")
        odb.install(dbname, odb.B2B_ADDONS, log, conf=old_conf)
        assert odb.installed(dbname, odb.B2B_ADDONS) == set(odb.B2B_ADDONS)
        odb.shell(dbname, "migration_data.py", log, conf=old_conf)
        assert odb.read_json_line(log)["positioned"], "no order under a fiscal position to migrate"
    log = _log(f"migration_{commit}_upgrade")
    odb.install(dbname, odb.B2B_ADDONS, log, update=True)
    timings[f"migration_{commit}"] = round(time.monotonic() - started, 1)
    assert not _errors(log), _errors(log)[:10]
    if script:
        ran = re.findall(rf"module {module}: Running migration (\S+) ", log.read_text(encoding="utf-8"))
        assert any(version in folder for folder in ran), f"the {version} migration of {module} did not run: {ran}"
    assert not _computed_per_record(log), _computed_per_record(log)
    rows = odb.query(dbname, "SELECT latest_version FROM ir_module_module WHERE name = %s", [module])
    assert rows[0][0] == current
    result = _run_checks(dbname, "migration_checks.py", f"migration_{commit}_checks", B2B_MIGRATION=commit)
    assert not result["failures"], "\n".join(result["failures"][:40])
    odb.drop(dbname)
