import io
import json

import openpyxl

from odoo import Command, http
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import file_open


class B2bQuickOrderCase(B2bRoleUsersMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="qord")
        cls.site_lyon, cls.site_grenoble = cls.portal_sites
        cls.site_lyon.ref = "QO-LYON"
        cls.site_grenoble.ref = "QO-GRE"
        cls.other_site = cls.env["res.partner"].create(
            {"name": "Site Autre", "type": "delivery", "parent_id": cls.other_portal_customer.id, "ref": "QO-OTHER"}
        )
        Product = cls.env["product.product"]
        cls.paper = Product.create({"name": "Ramette QO", "default_code": "QO-A4", "list_price": 10.0, "type": "consu"})
        cls.toner = Product.create({"name": "Toner QO", "default_code": "QO-TON", "list_price": 45.0, "type": "consu"})
        cls.buyer = cls.portal_users["buyer"]
        cls.buyer.partner_id.b2b_portal_site_ids = cls.site_lyon | cls.site_grenoble

    def _login(self, user):
        self.authenticate(user.login, user.login + "x" * (8 - len(user.login)))

    def _csrf_token(self, url="/my/quick-order"):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        marker = 'name="csrf_token" value="'
        start = response.text.index(marker) + len(marker)
        return response.text[start : response.text.index('"', start)]

    def _portal_orders(self, user=None):
        return self.env["sale.order"].search([("partner_id", "=", (user or self.buyer).partner_id.id)])

    def _post(self, data, files=None, csrf=True):
        if csrf:
            data = {"csrf_token": self._csrf_token(), **data}
        return self.url_open("/my/quick-order", data=data, files=files, allow_redirects=False)


@tagged("post_install", "-at_install")
class TestPortalQuickOrder(B2bQuickOrderCase):
    def test_buyer_previews_then_creates_a_quick_quotation(self):
        self._login(self.buyer)
        rows = "Référence;Quantité;Site\nQO-A4;3\nQO-TON;2;QO-GRE\nQO-A4;1,5"
        response = self._post({"rows": rows, "site_id": self.site_lyon.id, "action": "preview"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Create Quotation", response.text)
        self.assertIn("Toner QO", response.text)
        self.assertIn("135.00", response.text, "4.5 x 10 + 2 x 45, priced on the server")
        self.assertFalse(self._portal_orders(), "the preview writes nothing")

        # a price sent by the browser is never read
        response = self._post(
            {"rows": rows, "site_id": self.site_lyon.id, "action": "create", "price_unit": "0.01", "amount_total": 1}
        )
        self.assertEqual(response.status_code, 303)
        order = self._portal_orders()
        self.assertEqual(len(order), 1)
        self.assertIn(f"/my/orders/{order.id}", response.headers["Location"])
        self.assertEqual(order.b2b_order_type, "quick")
        self.assertTrue(order.b2b_created_in_portal)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, self.buyer.partner_id, "the user is the ordering contact")
        self.assertEqual(order.partner_shipping_id, self.site_lyon)
        self.assertEqual(
            {
                (line.product_id, line.partner_shipping_id, line.product_uom_qty, line.price_unit)
                for line in order.order_line
            },
            {(self.paper, self.site_lyon, 4.5, 10.0), (self.toner, self.site_grenoble, 2.0, 45.0)},
        )
        self.assertEqual(order.amount_untaxed, 135.0)
        # the buyer finds it on its page, as a normal quotation to accept
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(order.name, page.text)
        self.assertIn(order.name, self.url_open("/my/quotes").text, "listed with the buyer's quotations")

    def test_preview_gives_back_the_rows_as_pasted(self):
        """A French buyer's pasted rows (header, decimal commas, a site column) come back as
        written, so that creating from the preview sends the same rows; a file's rows come back
        in the user's own decimals, each with its site."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.buyer.lang = "fr_FR"
        self._login(self.buyer)
        rows = "Référence;Quantité;Site\nQO-A4;2,5;QO-LYON\nQO-TON;1;QO-GRE"
        response = self._post({"rows": rows, "site_id": self.site_lyon.id, "action": "preview"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Toner QO", response.text)
        self.assertIn(">Référence;Quantité;Site\nQO-A4;2,5;QO-LYON\nQO-TON;1;QO-GRE<", response.text)
        csv_data = b"QO-A4;2,5\nQO-TON;1;QO-GRE\n"
        response = self._post(
            {"site_id": self.site_lyon.id, "action": "preview"},
            files={"file": ("commande.csv", csv_data, "text/csv")},
        )
        self.assertIn(">QO-A4;2,5;QO-LYON\nQO-TON;1;QO-GRE\n<", response.text)

    def test_quick_order_above_the_approval_limit_waits_for_the_approver(self):
        self.portal_customer.b2b_approval_limit = 50.0
        self._login(self.buyer)
        response = self._post({"rows": "QO-TON;2", "site_id": self.site_lyon.id, "action": "preview"})
        self.assertIn("will wait for the approval of an approver", response.text)
        self.assertEqual(self._post({"rows": "QO-TON;2", "action": "create"}).status_code, 303)
        order = self._portal_orders()
        self.assertEqual(order.b2b_approval_state, "to_approve", "a normal quotation: approval rules apply")
        order.with_user(self.portal_users["approver"]).action_b2b_approve()
        self.assertEqual(order.b2b_approval_state, "approved")
        response = self._post({"rows": "QO-A4;1", "action": "preview"})
        self.assertNotIn("will wait for the approval", response.text)

    def test_csv_and_xlsx_files(self):
        self._login(self.buyer)
        csv_data = b"reference;quantity;site\nQO-TON;1;QO-GRE\n"
        response = self._post(
            {"site_id": self.site_lyon.id, "action": "create", "rows": ""},
            files={"file": ("commande.csv", csv_data, "text/csv")},
        )
        self.assertEqual(response.status_code, 303)
        workbook = openpyxl.Workbook()
        workbook.active.append(["Référence", "Quantité"])
        workbook.active.append(["QO-A4", 7])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = self._post(
            {"site_id": self.site_grenoble.id, "action": "preview"},
            files={"file": ("commande.xlsx", buffer.getvalue(), "application/octet-stream")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("QO-A4;7;QO-GRE", response.text, "the file's rows, as validated, are kept for the creation")
        orders = self._portal_orders()
        self.assertEqual(len(orders), 1)
        self.assertEqual(
            (orders.order_line.product_id, orders.order_line.partner_shipping_id), (self.toner, self.site_grenoble)
        )

    def test_bad_rows_reported_nothing_created(self):
        self.buyer.partner_id.b2b_portal_site_ids = self.site_lyon
        self._login(self.buyer)
        rows = "\n".join(
            [
                "QO-A4;2",  # 1 fine
                "NOPE;1",  # 2 unknown reference
                "QO-A4;abc",  # 3 not a number
                "QO-A4;-1",  # 4 negative
                "QO-A4;1;QO-OTHER",  # 5 another customer's site
                "QO-A4;1;QO-GRE",  # 6 a site of the customer, not the buyer's
                "QO-A4",  # 7 no quantity
            ]
        )
        for action in ("preview", "create"):
            response = self._post({"rows": rows, "site_id": self.site_lyon.id, "action": action})
            self.assertEqual(response.status_code, 200, action)
            text = response.text.replace("&#34;", '"').replace("&quot;", '"')
            for row, reason in [
                (2, "unknown product reference"),
                (3, "is not a number"),
                (4, "more than zero"),
                (5, "is not an address of"),
                (6, "is not one of your sites"),
                (7, "expected reference;quantity"),
            ]:
                self.assertIn(f"Row {row}: ", text, action)
                self.assertIn(reason, text, action)
            self.assertNotIn("Row 1:", text)
            self.assertNotIn("Create Quotation", text)
        self.assertFalse(self._portal_orders(), "all or nothing")

    def test_readme_sample_file_is_read(self):
        with file_open("b2b_customer_portal/demo/quick_order_sample.csv", "rb") as sample:
            data = sample.read()
        self.env["product.product"].create(
            [
                {"name": code, "default_code": code, "list_price": 1.0, "type": "consu"}
                for code in ("PAP-A4-80", "TON-410A-K", "ENV-DL-500", "HYG-GEL-1L")
            ]
        )
        self._login(self.buyer)
        response = self._post(
            {"site_id": self.site_lyon.id, "action": "create"}, files={"file": ("sample.csv", data, "text/csv")}
        )
        self.assertEqual(response.status_code, 303, "no row refused")
        self.assertEqual(len(self._portal_orders().order_line), 4)

    def _count_queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_the_rows(self):
        products = self.env["product.product"].create(
            [{"name": f"Article {i}", "default_code": f"QO-BULK-{i:03d}", "type": "consu"} for i in range(300)]
        )
        sites = ["QO-LYON", "QO-GRE"]
        lines = [f"{product.default_code};{i % 7 + 1};{sites[i % 2]}" for i, product in enumerate(products)]

        def rows(count):
            return "\n".join(lines[:count])

        SaleOrder = self.env["sale.order"].with_user(self.buyer)

        def preview(count):
            order, errors = SaleOrder._b2b_portal_quick_order_preview(text=rows(count))
            self.assertFalse(errors)
            order.order_line.mapped("price_subtotal")

        self._count_queries(lambda: preview(10))  # the user's access rules are loaded once, then cached
        small, large = self._count_queries(lambda: preview(10)), self._count_queries(lambda: preview(300))
        self.assertLess(large, small + 10, f"preview: {small} queries for 10 rows, {large} for 300")
        small = self._count_queries(lambda: SaleOrder._b2b_portal_create_quick_order(text=rows(10)))
        large = self._count_queries(lambda: SaleOrder._b2b_portal_create_quick_order(text=rows(300)))
        # 30x more rows: a few more batched queries (INSERT/UPDATE in chunks), never one per row
        self.assertLess(large, small + 30, f"create: {small} queries for 10 rows, {large} for 300")
        self.assertEqual(len(self._portal_orders()[0].order_line), 300)

    def test_default_site_of_another_customer_refused(self):
        self._login(self.buyer)
        for site_id in (self.other_site.id, "abc"):
            response = self._post({"rows": "QO-A4;1", "site_id": site_id, "action": "create"})
            self.assertEqual(response.status_code, 200)
            self.assertIn("The chosen delivery site is not one of your sites.", response.text)
        self.assertFalse(self._portal_orders())

    def test_oversized_input_refused(self):
        self._login(self.buyer)
        response = self._post({"rows": "QO-A4;1\n" * 5001, "action": "preview"})
        self.assertIn("at most 5000 rows", response.text)
        big = b"QO-A4;1\n" * (5 * 1024 * 1024 // 8 + 10)
        response = self._post({"action": "create"}, files={"file": ("big.csv", big, "text/csv")})
        self.assertIn("larger than 5 MB", response.text)
        response = self._post(
            {"action": "create"}, files={"file": ("broken.xlsx", b"PK\x03\x04garbage", "application/octet-stream")}
        )
        self.assertIn("could not be read", response.text)
        self.assertFalse(self._portal_orders())

    def test_missing_csrf_creates_nothing(self):
        self._login(self.buyer)
        for token in (None, "forged"):
            data = {"rows": "QO-A4;1", "action": "create", "site_id": self.site_lyon.id}
            if token:
                data["csrf_token"] = token
            response = self._post(data, csrf=False)
            self.assertEqual(response.status_code, 400)
        self.assertFalse(self._portal_orders())

    def test_roles_that_do_not_order_are_refused(self):
        approver = self.portal_users["approver"]
        self._login(approver)
        response = self._post({"rows": "QO-A4;2", "action": "create"})
        self.assertEqual(response.status_code, 303, "approvers order too")
        self.assertEqual(self._portal_orders(approver).b2b_order_type, "quick")
        for role in ("viewer", "accountant"):
            user = self.portal_users[role]
            self._login(user)
            self.assertEqual(self.url_open("/my/quick-order").status_code, 403, role)
            response = self.url_open(
                "/my/quick-order",
                data={"rows": "QO-A4;1", "action": "create", "csrf_token": http.Request.csrf_token(self)},
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 403, role)
            self.assertFalse(self._portal_orders(user), role)
            self.assertNotIn('href="/my/quick-order"', self.url_open("/my").text, role)
        self._login(self.buyer)
        self.assertIn('href="/my/quick-order"', self.url_open("/my").text)
        # the back office has its own quick entry; guests are sent to log in
        self._login(self.users["salesman"])
        self.assertEqual(self.url_open("/my/quick-order").status_code, 403)
        self.authenticate(None, None)
        response = self.url_open("/my/quick-order", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_rpc_cannot_create_or_abuse_the_portal_method(self):
        buyer = self.buyer
        SaleOrder = self.env["sale.order"].with_user(buyer)
        with self.assertRaises(AccessError):
            SaleOrder.create({"partner_id": buyer.partner_id.id})
        # the portal's method is private: unreachable by RPC
        self._login(buyer)
        response = self.url_open(
            "/web/dataset/call_kw/sale.order/_b2b_portal_create_quick_order",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "sale.order",
                        "method": "_b2b_portal_create_quick_order",
                        "args": [],
                        "kwargs": {"text": "QO-A4;1"},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn("error", response.json())
        self.assertFalse(self._portal_orders())
        # and it checks who acts, whoever calls it
        for role in ("viewer", "accountant"):
            with self.assertRaises(AccessError):
                self.env["sale.order"].with_user(self.portal_users[role])._b2b_portal_create_quick_order(text="QO-A4;1")
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.users["salesman"])._b2b_portal_create_quick_order(text="QO-A4;1")
        order = SaleOrder._b2b_portal_create_quick_order(text="QO-A4;1")
        with self.assertRaises(AccessError):
            order.with_user(buyer).write({"b2b_order_type": "standard"})


@tagged("post_install", "-at_install")
class TestPortalReorder(B2bQuickOrderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.old = Product.create(
            {"name": "Ancien modèle", "default_code": "QO-OLD", "list_price": 5.0, "type": "consu"}
        )
        cls.unsold = Product.create({"name": "Plus vendu", "default_code": "QO-NS", "list_price": 5.0, "type": "consu"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.buyer.partner_id.id,
                "partner_shipping_id": cls.site_lyon.id,
                "client_order_ref": "PO-123",
                "order_line": [
                    Command.create({"product_id": cls.paper.id, "product_uom_qty": 4, "price_unit": 9.0}),
                    Command.create(
                        {"product_id": cls.toner.id, "product_uom_qty": 2, "partner_shipping_id": cls.site_grenoble.id}
                    ),
                    Command.create({"product_id": cls.old.id, "product_uom_qty": 1}),
                    Command.create({"product_id": cls.unsold.id, "product_uom_qty": 3}),
                ],
            }
        )
        cls.order.action_confirm()
        cls.old.active = False
        cls.unsold.sale_ok = False
        cls.paper.list_price = 12.0  # today's price

    def _reorder(self, order=None, csrf=True):
        order = order or self.order
        data = {"csrf_token": http.Request.csrf_token(self)} if csrf else {"csrf_token": "forged"}
        return self.url_open(f"/my/orders/{order.id}/reorder", data=data, allow_redirects=False)

    def test_buyer_orders_again_at_todays_prices_missing_lines_reported(self):
        self._login(self.buyer)
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertIn("o_b2b_reorder_btn", page.text, "the Order Again button")
        response = self._reorder()
        self.assertEqual(response.status_code, 303)
        new = self._portal_orders() - self.order
        self.assertEqual(len(new), 1)
        self.assertIn(f"/my/orders/{new.id}", response.headers["Location"])
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.b2b_order_type, "standard")
        self.assertTrue(new.b2b_created_in_portal)
        self.assertEqual(
            {
                (line.product_id, line.partner_shipping_id, line.product_uom_qty, line.price_unit)
                for line in new.order_line
            },
            {(self.paper, self.site_lyon, 4.0, 12.0), (self.toner, self.site_grenoble, 2.0, 45.0)},
        )
        self.assertIn("Ancien modèle", new.b2b_reorder_report)
        self.assertIn("no longer available", new.b2b_reorder_report)
        self.assertIn("Plus vendu", new.b2b_reorder_report)
        self.assertIn("no longer sold", new.b2b_reorder_report)
        page = self.url_open(response.headers["Location"])
        self.assertIn("were not ordered again", page.text)
        self.assertIn(new.name, self.url_open("/my/quotes").text, "listed with the buyer's quotations")
        self.assertIn("Ancien modèle", page.text)
        self.assertIn("Plus vendu", page.text)
        self.assertEqual(self.order.state, "sale", "the original order is untouched")

    def test_site_no_longer_the_buyers_reported(self):
        self.buyer.partner_id.b2b_portal_site_ids = self.site_lyon
        self._login(self.buyer)
        self._reorder()
        new = self._portal_orders() - self.order
        self.assertEqual(new.order_line.product_id, self.paper)
        self.assertIn("is not one of your delivery sites", new.b2b_reorder_report)

    def test_nothing_left_to_order_again(self):
        self.paper.active = self.toner.active = False
        self._login(self.buyer)
        response = self._reorder()
        self.assertEqual(response.status_code, 303)
        self.assertIn("b2b_reorder=none", response.headers["Location"])
        self.assertEqual(self._portal_orders(), self.order)
        self.assertIn("Nothing was ordered again", self.url_open(response.headers["Location"]).text)

    def test_refused_to_others_and_without_csrf(self):
        other = self.portal_users["other_buyer"]
        self._login(other)
        self.assertIn(self._reorder().status_code, (403, 404))
        self.assertEqual(
            self.url_open(
                "/my/orders/999999999/reorder", data={"csrf_token": http.Request.csrf_token(self)}
            ).status_code,
            404,
        )
        # even with the order's access token (a shared link), ordering again needs the rights
        token = self.order._portal_ensure_token()
        page = self.url_open(f"/my/orders/{self.order.id}?access_token={token}")
        self.assertNotIn("o_b2b_reorder_btn", page.text)
        self.assertIn(self._reorder().status_code, (403, 404))
        self.assertFalse(self._portal_orders(other))
        viewer = self.portal_users["viewer"]
        self._login(viewer)
        self.assertIn(self._reorder().status_code, (403, 404))
        self._login(self.buyer)
        self.assertEqual(self._reorder(csrf=False).status_code, 400)
        self.assertEqual(
            self.url_open(f"/my/orders/{self.order.id}/reorder", allow_redirects=False).status_code, 405, "POST only"
        )
        with self.assertRaises(AccessError):
            self.order.with_user(other)._b2b_portal_reorder()
        self.assertEqual(self.env["sale.order"].search_count([("b2b_created_in_portal", "=", True)]), 0)

    def test_quotation_is_not_ordered_again(self):
        quotation = self.order.copy()
        # sent to the customer: a salesperson's draft is out of the buyer's reach (scope rule)
        quotation.action_quotation_sent()
        self._login(self.buyer)
        self.assertNotIn("o_b2b_reorder_btn", self.url_open(f"/my/orders/{quotation.id}").text)
        response = self._reorder(quotation)
        self.assertIn("b2b_reorder=refused", response.headers["Location"])
        self.assertEqual(self.env["sale.order"].search_count([("b2b_created_in_portal", "=", True)]), 0)


@tagged("post_install", "-at_install")
class TestPortalQuickOrderTour(B2bQuickOrderCase):
    def test_quick_order_tour_as_buyer(self):
        self.start_tour("/my/quick-order", "b2b_customer_portal_quick_order", login=self.buyer.login)
        self._assert_tour_order()

    def test_quick_order_tour_on_a_phone(self):
        self.browser_size = "375x667"
        self.touch_enabled = True
        self.start_tour("/my/quick-order", "b2b_customer_portal_quick_order", login=self.buyer.login)
        self._assert_tour_order()

    def _assert_tour_order(self):
        order = self._portal_orders()
        self.assertEqual(len(order), 1)
        self.assertEqual(order.b2b_order_type, "quick")
        self.assertEqual(
            {(line.product_id, line.partner_shipping_id, line.product_uom_qty) for line in order.order_line},
            {(self.paper, self.site_lyon, 3.0), (self.toner, self.site_grenoble, 1.0)},
        )
