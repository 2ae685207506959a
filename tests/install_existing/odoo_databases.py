"""Build and drive Odoo databases from outside Odoo (subprocesses), for the tests that
install the addons on an existing company's data and for bench/bench_install.sh.

Reads the project's configuration from the environment set by setup/env.sh (B2B_CONF,
B2B_VENV, B2B_ODOO_PYTHONPATH, B2B_ROOT, B2B_ADDONS)."""

import configparser
import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import psycopg2
import requests

HERE = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("B2B_ROOT") or HERE.parent.parent)
CONF = Path(os.environ.get("B2B_CONF") or ROOT / ".cache" / "odoo.conf")
VENV = Path(os.environ.get("B2B_VENV") or ROOT / ".cache" / "venv")
ODOO_PYTHONPATH = os.environ.get("B2B_ODOO_PYTHONPATH") or str(
    ROOT / ".cache" / "odoo-19" / "usr" / "lib" / "python3" / "dist-packages"
)
# the six addons in dependency order, as setup/env.sh lists them for every script
B2B_ADDONS = tuple(os.environ["B2B_ADDONS"].split(","))
STANDARD_MODULES = ("sale_management", "sale_stock", "account_payment", "l10n_fr_account")
# Odoo's online services point at a closed local port, as setup/db.sh sets them
LOCAL_ONLY_PARAMETERS = (
    "iap.endpoint",
    "iap.partner_autocomplete.endpoint",
    "enrich.endpoint",
    "sms.endpoint",
)


def options(conf=CONF):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(conf)
    return parser["options"]


def connect(dbname="postgres", conf=CONF):
    opts = options(conf)
    connection = psycopg2.connect(
        dbname=dbname,
        host=opts.get("db_host", "127.0.0.1"),
        port=opts.get("db_port", "5432"),
        user=opts.get("db_user"),
        password=opts.get("db_password"),
    )
    connection.autocommit = True
    return connection


def query(dbname, sql, params=None):
    with contextlib.closing(connect(dbname)) as connection, connection.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall() if cr.description else None


def exists(dbname):
    return bool(query("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", [dbname]))


def filestore(dbname):
    return Path(options().get("data_dir", str(ROOT / ".cache" / "data"))) / "filestore" / dbname


def drop(dbname):
    if exists(dbname):
        query("postgres", f'DROP DATABASE "{dbname}" WITH (FORCE)')
    shutil.rmtree(filestore(dbname), ignore_errors=True)


def clone(template, dbname):
    """A copy of ``template`` (database and filestore) named ``dbname``."""
    drop(dbname)
    query("postgres", f'CREATE DATABASE "{dbname}" TEMPLATE "{template}"')
    if filestore(template).exists():
        shutil.copytree(filestore(template), filestore(dbname))


def write_conf(path, **overrides):
    """A copy of the project's configuration with some options replaced."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(CONF)
    for key, value in overrides.items():
        parser["options"][key] = str(value)
    with open(path, "w", encoding="utf-8") as out:
        parser.write(out)
    return Path(path)


def odoo(args, log=None, conf=CONF, env=None, stdin=None, check=True, timeout=3600):
    """Run ``python -m odoo`` with the project's configuration; output to ``log`` (a path)
    when given. Returns (returncode, seconds, peak memory in MiB of the process)."""
    # a subcommand (db, shell) comes before its options
    split = 0 if args[0].startswith("-") else 1
    command = [str(VENV / "bin" / "python"), "-m", "odoo", *args[:split], "-c", str(conf), *args[split:]]
    environ = dict(os.environ, PYTHONPATH=ODOO_PYTHONPATH, **(env or {}))
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(log, "a", encoding="utf-8")) if log else subprocess.DEVNULL
        stdin_file = stack.enter_context(open(stdin, encoding="utf-8")) if stdin else subprocess.DEVNULL
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=stdin_file, env=environ)
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    peak_mib = usage.ru_maxrss / 1024
    if check and process.returncode:
        tail = Path(log).read_text(encoding="utf-8")[-4000:] if log else ""
        raise RuntimeError(f"odoo {' '.join(args)} failed ({process.returncode}):\n{tail}")
    return process.returncode, seconds, peak_mib


def shell(dbname, script, log, env=None, conf=CONF):
    """Run a script of tests/install_existing in ``odoo shell`` on ``dbname``."""
    return odoo(
        ["shell", "-d", dbname, "--no-http", "--log-level=warn"], log=log, stdin=HERE / script, env=env, conf=conf
    )


def init(dbname, log, modules=STANDARD_MODULES):
    """A new French company (as setup/db.sh creates it) with only ``modules`` installed."""
    drop(dbname)
    odoo(
        [
            "db",
            "init",
            dbname,
            "--force",
            "--language",
            "en_US",
            "--country",
            "FR",
            "--username",
            "admin",
            "--password",
            "admin",
        ],
        log=log,
    )
    query(
        dbname,
        """INSERT INTO ir_config_parameter (key, value, create_uid, create_date, write_uid, write_date)
           SELECT key, 'http://127.0.0.1:9', 1, now(), 1, now() FROM unnest(%s) AS key
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""",
        [list(LOCAL_ONLY_PARAMETERS)],
    )
    install(dbname, modules, log)


def install(dbname, modules, log, conf=CONF, update=False):
    """Install (or update) ``modules``; returns (seconds, peak MiB)."""
    _rc, seconds, peak = odoo(
        [
            "-d",
            dbname,
            "-u" if update else "-i",
            ",".join(modules),
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
            "--log-handler=odoo.models:INFO",
            "--log-handler=odoo.modules.migration:INFO",
        ],
        log=log,
        conf=conf,
    )
    return seconds, peak


def installed(dbname, names):
    rows = query(
        dbname, "SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)", [list(names)]
    )
    return {name for (name,) in rows}


def source_key(*paths):
    """A digest of the files that decide what a cached database holds."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    digest.update(str(Path(ODOO_PYTHONPATH).resolve()).encode())
    release = Path(ODOO_PYTHONPATH) / "odoo" / "release.py"
    if release.exists():
        digest.update(release.read_bytes())
    return digest.hexdigest()[:16]


def cached_key(dbname):
    if not exists(dbname):
        return None
    rows = query(dbname, "SELECT value FROM ir_config_parameter WHERE key = 'b2b_install_test.key'")
    return rows[0][0] if rows else None


def set_cached_key(dbname, key):
    query(
        dbname,
        """INSERT INTO ir_config_parameter (key, value, create_uid, create_date, write_uid, write_date)
           VALUES ('b2b_install_test.key', %s, 1, now(), 1, now())
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""",
        [key],
    )


def read_json_line(log):
    """The last line of ``log`` that is a JSON object (what a script printed)."""
    for line in reversed(Path(log).read_text(encoding="utf-8").splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no JSON line in {log}")


def wait_http(port, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/health", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"Odoo did not answer on port {port}")


@contextlib.contextmanager
def http_server(dbname, port, log):
    """Odoo serving ``dbname`` alone on 127.0.0.1:``port`` for the duration of the block."""
    command = [
        str(VENV / "bin" / "python"),
        "-m",
        "odoo",
        "-c",
        str(CONF),
        "-d",
        dbname,
        "--db-filter",
        f"^{dbname}$",
        "--http-port",
        str(port),
        "--http-interface",
        "127.0.0.1",
        "--max-cron-threads",
        "0",
        "--log-level=warn",
    ]
    with open(log, "a", encoding="utf-8") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(os.environ, PYTHONPATH=ODOO_PYTHONPATH),
        )
    try:
        wait_http(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def portal_pages(base_url, login, password, paths=("/my", "/my/orders", "/my/invoices")):
    """Log in on the website login form as a portal user and fetch ``paths``:
    {path: (HTTP status, final URL, page text)}."""
    with requests.Session() as session:
        page = session.get(f"{base_url}/web/login", timeout=60)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        response = session.post(
            f"{base_url}/web/login",
            data={"login": login, "password": password, "csrf_token": token and token.group(1), "redirect": "/my"},
            timeout=60,
        )
        pages = {"login": (response.status_code, response.url, "")}
        for path in paths:
            response = session.get(f"{base_url}{path}", timeout=60)
            pages[path] = (response.status_code, response.url, response.text)
        return pages
