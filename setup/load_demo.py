"""Load the demo data of the six addons only (run inside `odoo shell` by setup/db.sh).

Odoo's own demo data is left out on purpose: `account`'s demo gives the main company
Odoo's generic chart of accounts, replacing the French one the demo supplier needs,
and adds unrelated demo companies. The addons' demo flag is set, so `make update`
loads their new demo files too.
"""

import os

from odoo.modules.loading import load_demo
from odoo.modules.module_graph import ModuleGraph

names = os.environ["B2B_ADDONS"].split(",")
env.cr.execute("UPDATE ir_module_module SET demo = TRUE WHERE name = ANY(%s)", [names])  # noqa: F821
env.cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")  # noqa: F821
graph = ModuleGraph(env.cr, mode="load")  # noqa: F821
graph.extend([name for (name,) in env.cr.fetchall()])  # noqa: F821 - the graph needs the dependencies
for package in graph:
    if package.name in names:
        load_demo(env, package, {}, "init")  # noqa: F821
env["ir.module.module"].invalidate_model(["demo"])  # noqa: F821
env.cr.commit()  # noqa: F821
