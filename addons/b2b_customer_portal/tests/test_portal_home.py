"""/my by role, as each role sees it in the browser once the counters are loaded: the
accountant follows invoices, statement and payments, not the order lists."""

import json

from odoo import Command
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.tests import HttpCase, tagged

# the cards shown once Odoo's counters script has run (hidden cards carry d-none): the test
# fails on a card expected and hidden, or unexpected and shown
CARDS_JS = """
    const hrefs = [...document.querySelectorAll('.o_portal_index_card:not(.d-none) a')]
        .map((a) => a.getAttribute('href'));
    const wrong = %(shown)s.filter((href) => !hrefs.includes(href))
        .concat(%(hidden)s.filter((href) => hrefs.includes(href)));
    if (wrong.length) {
        console.error('b2b cards wrong: ' + JSON.stringify(wrong) + ' in ' + JSON.stringify(hrefs));
    } else {
        console.log('test successful');
    }
"""
COUNTERS_LOADED = "document.querySelector('.o_portal_my_home') && !document.querySelector('.o_portal_doc_spinner')"


@tagged("post_install", "-at_install")
class TestPortalHome(B2bRoleUsersMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="phome")
        product = cls.env["product.product"].create({"name": "Ramette phome", "type": "consu", "list_price": 5.0})
        # a confirmed order and a quotation sent to the customer, ordered by its buyer
        salesman = cls.users["salesman"]
        orders = (
            cls.env["sale.order"]
            .with_user(salesman)
            .create(
                [
                    {
                        "partner_id": cls.portal_users["buyer"].partner_id.id,
                        "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2})],
                    }
                    for _i in range(2)
                ]
            )
        )
        orders[0].action_confirm()
        orders[1].action_quotation_sent()

    def _check_cards(self, user, shown=(), hidden=()):
        """In Chromium, as ``user``: the /my cards ``shown`` are visible, ``hidden`` are not."""
        code = CARDS_JS % {"shown": json.dumps(list(shown)), "hidden": json.dumps(list(hidden))}
        self.browser_js("/my", code, ready=COUNTERS_LOADED, login=user.login)

    def test_accountant_gets_no_order_cards(self):
        self._check_cards(self.portal_users["buyer"], shown=["/my/orders", "/my/quotes"])
        self._check_cards(self.portal_users["accountant"], hidden=["/my/orders", "/my/quotes"])
