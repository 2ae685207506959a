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
# Built in French: messages posted in the chatter, activities and generated names are
# written in the language of the environment that creates them.
env = env(context=dict(env.context, lang="fr_FR", tz="Europe/Paris"))  # noqa: F821
env.cr.execute("UPDATE ir_module_module SET demo = TRUE WHERE name = ANY(%s)", [names])  # noqa: F821
env.cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")  # noqa: F821
graph = ModuleGraph(env.cr, mode="load")  # noqa: F821
graph.extend([name for (name,) in env.cr.fetchall()])  # noqa: F821 - the graph needs the dependencies
for package in graph:
    if package.name in names:
        load_demo(env, package, {}, "init")  # noqa: F821
env["ir.module.module"].invalidate_model(["demo"])  # noqa: F821
# Customers can pay online in the demo: Odoo's wire transfer (with the company's bank
# account) and its demo provider (a fake card form; never a real provider).
for provider in env["payment.provider"].search([("code", "in", ("custom", "demo"))]):  # noqa: F821
    if provider.code == "custom" and provider.custom_mode != "wire_transfer":
        continue
    provider.write({"state": "test" if provider.code == "demo" else "enabled", "is_published": True})
env.cr.commit()  # noqa: F821
