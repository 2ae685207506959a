"""Uninstall the addons named in B2B_UNINSTALL (comma-separated), one at a time in that
order, each with Odoo's own Uninstall button (run inside `odoo shell`). Prints one JSON
line: {"uninstalled": [...], "seconds": {...}}."""

import json
import os
import time

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

env = globals()["env"]
dbname = env.cr.dbname
env.cr.rollback()
seconds = {}
done = []
for name in os.environ["B2B_UNINSTALL"].split(","):
    started = time.monotonic()
    with Registry(dbname).cursor() as cr:
        module = api.Environment(cr, SUPERUSER_ID, {})["ir.module.module"].search([("name", "=", name)])
        if module.state == "installed":
            module.button_immediate_uninstall()
            done.append(name)
    seconds[name] = round(time.monotonic() - started, 1)
print(json.dumps({"uninstalled": done, "seconds": seconds}))
