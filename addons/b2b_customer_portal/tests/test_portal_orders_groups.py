"""/my/orders grouped over several pages: each group shows its count in the whole list
(orders the user may see), whether it lies wholly on the page (counted there) or goes on
before or after it (counted in SQL, through the record rules)."""

import re

from odoo import Command
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.tests import HttpCase, tagged

from .test_portal_orders import B2bPortalOrdersCommon

GROUP_ROW = re.compile(r'o_b2b_order_group".*?<th[^>]*>\s*(.*?)\s*<span class="badge[^"]*">(\d+)</span>', re.S)


@tagged("post_install", "-at_install")
class TestPortalOrderGroupCounts(B2bPortalOrdersCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_orders_fixtures("pgroups")
        # three months: March (the fixtures' 3 orders), February (5), January (4); the 9 new
        # orders go to Lyon
        new_orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": cls.buyer.partner_id.id,
                    "partner_shipping_id": cls.site_lyon.id,
                    "order_line": [
                        Command.create({"product_id": cls.paper.id, "partner_shipping_id": cls.site_lyon.id})
                    ],
                }
                for _i in range(9)
            ]
        )
        new_orders.action_confirm()
        (cls.order_lyon | cls.order_grenoble | cls.order_both).date_order = "2021-03-15 12:00:00"
        new_orders[:5].date_order = "2021-02-15 12:00:00"
        new_orders[5:].date_order = "2021-01-15 12:00:00"
        cls.viewer = cls.portal_users["viewer"]
        cls.viewer.partner_id.b2b_portal_site_ids = cls.site_grenoble

    def _groups(self, user, url, per_page):
        self.patch(CustomerPortal, "_items_per_page", per_page)
        self.authenticate(user.login, user.login)
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 200, url)
        self.assertNotIn("o_b2b_order_notice", response.text, url)
        return [(label, int(count)) for label, count in GROUP_ROW.findall(response.text)]

    def test_month_counts_on_every_page(self):
        by_month = "/my/orders?groupby=month"
        # 4 a page: [March 3, February 1], [February 4], [January 4]
        self.assertEqual(self._groups(self.buyer, by_month, 4), [("March 2021", 3), ("February 2021", 5)])
        self.assertEqual(self._groups(self.buyer, "/my/orders/page/2?groupby=month", 4), [("February 2021", 5)])
        self.assertEqual(self._groups(self.buyer, "/my/orders/page/3?groupby=month", 4), [("January 2021", 4)])
        # 10 a page: February lies between the page's first and last groups
        self.assertEqual(
            self._groups(self.buyer, by_month, 10), [("March 2021", 3), ("February 2021", 5), ("January 2021", 4)]
        )
        self.assertEqual(self._groups(self.buyer, "/my/orders/page/2?groupby=month", 10), [("January 2021", 4)])

    def test_status_and_site_counts_through_the_rules(self):
        # the buyer: her customer's 11 orders to Lyon, on the third page of 4
        url = f"/my/orders/page/3?groupby=status&site={self.site_lyon.id}"
        self.assertEqual(self._groups(self.buyer, url, 4), [("Confirmed", 11)])
        # by the orders' site: [Grenoble 2], [Lyon 2 of 10], ...
        lyon = self.site_lyon.display_name
        self.assertEqual(self._groups(self.buyer, "/my/orders/page/2?groupby=site", 2), [(lyon, 10)])
        # the viewer limited to Grenoble sees 2 orders (one of them partly to Lyon)
        self.assertEqual(self._groups(self.viewer, "/my/orders/page/2?groupby=status", 1), [("Confirmed", 2)])
        # another customer's buyer counts only its own order
        self.assertEqual(self._groups(self.other_buyer, "/my/orders?groupby=status", 1), [("Confirmed", 1)])
