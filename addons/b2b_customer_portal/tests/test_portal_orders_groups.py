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

    def _pages(self, user, url, per_page, pages):
        """[(groups, order names)] of the first ``pages`` pages of a grouped list."""
        self.patch(CustomerPortal, "_items_per_page", per_page)
        self.authenticate(user.login, user.login)
        result = []
        for page in range(1, pages + 1):
            response = self.url_open(url.replace("/my/orders", f"/my/orders/page/{page}", 1))
            self.assertEqual(response.status_code, 200)
            result.append(
                (
                    [(label, int(count)) for label, count in GROUP_ROW.findall(response.text)],
                    re.findall(r'<a href="/my/orders/\d+\?access_token=[^"]*">([^<]+)</a>', response.text),
                )
            )
        return result

    def test_groups_in_name_and_precedence_order_across_pages(self):
        """Sites and contacts come by name, statuses by precedence, whatever their ids (the
        page is read in that order from the groups' counts): every order once over the pages,
        each group newest first, each group's count its orders over all pages."""
        first_site = self.env["res.partner"].create(
            {"name": "Site Aaa pgroups", "type": "delivery", "parent_id": self.portal_customer.id}
        )
        new_orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.buyer.partner_id.id,
                    "partner_shipping_id": first_site.id,
                    "order_line": [Command.create({"product_id": self.paper.id})],
                }
                for _day in (1, 2, 3)
            ]
        )
        new_orders.action_confirm()
        for day, order in enumerate(new_orders, start=1):
            order.date_order = f"2021-04-0{day} 12:00:00"
        # the newest is partly delivered, the next one delivered (statuses set in SQL: the
        # fixtures have no transfer to validate)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order SET b2b_portal_status = %s WHERE id = %s", ["partially_delivered", new_orders[2].id]
        )
        self.env.cr.execute(
            "UPDATE sale_order SET b2b_portal_status = %s WHERE id = %s", ["delivered", new_orders[1].id]
        )
        self.env.invalidate_all()
        aaa, grenoble, lyon = first_site.display_name, self.site_grenoble.display_name, self.site_lyon.display_name
        pages = self._pages(self.buyer, "/my/orders?groupby=site", 4, 4)
        self.assertEqual(
            [groups for groups, _names in pages],
            # 4 a page: [Aaa 3, Grenoble 1 of 2], [Grenoble 1, Lyon 3 of 10], [Lyon 4], [Lyon 3]
            [[(aaa, 3), (grenoble, 2)], [(grenoble, 2), (lyon, 10)], [(lyon, 10)], [(lyon, 10)]],
        )
        names = [name for _groups, page_names in pages for name in page_names]
        self.assertEqual(names[:3], new_orders.sorted("date_order", reverse=True).mapped("name"), "newest first")
        self.assertEqual(len(names), 15)
        self.assertEqual(len(set(names)), 15, "every order once")
        # statuses by precedence (alphabetically, 'delivered' would come before 'partially_delivered')
        pages = self._pages(self.buyer, "/my/orders?groupby=status", 14, 2)
        self.assertEqual(
            [groups for groups, _names in pages],
            [[("Confirmed", 13), ("Partly Delivered", 1)], [("Delivered", 1)]],
        )
        self.assertEqual(pages[0][1][-1], new_orders[2].name)
        self.assertEqual(pages[1][1], [new_orders[1].name])
        # contacts by name: the approver's order before the buyer's (the buyer's contact was
        # made first)
        pages = self._pages(self.buyer, "/my/orders?groupby=contact", 20, 1)
        self.assertEqual(
            pages[0][0],
            [(self.approver.partner_id.display_name, 1), (self.buyer.partner_id.display_name, 14)],
        )
