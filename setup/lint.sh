#!/usr/bin/env bash
# ruff and pylint-odoo on addons/ (configuration in ruff.toml and .pylintrc).
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/env.sh"
cd "$B2B_ROOT"
"$B2B_VENV/bin/ruff" check addons tests bench
"$B2B_VENV/bin/ruff" format --check addons tests bench
PYTHONPATH=$B2B_ODOO_PYTHONPATH "$B2B_VENV/bin/pylint" --rcfile=.pylintrc addons/*
