"""/my/orders/export: the filtered orders' lines as CSV (UTF-8 with BOM, ';', the user's
decimal separator), formulas neutralised, through the record rules of the user; bad filter
values refused with a message; another customer's orders never in it."""

import csv
import io

from odoo.tests import HttpCase, tagged

from .test_portal_orders import B2bPortalOrdersCommon


@tagged("post_install", "-at_install")
class TestPortalOrderExport(B2bPortalOrdersCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_orders_fixtures("pexport")
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.order_lyon.client_order_ref = '=HYPERLINK("http://evil.example","x")'
        cls.order_grenoble.client_order_ref = "@SUM(A1)"
        cls.order_both.client_order_ref = "-2+3"

    def _export(self, user, query="", lang=None):
        if lang:
            user.partner_id.lang = lang
        self.authenticate(user.login, user.login)
        # (a French user is sent to the /fr/ address of the page)
        return self.url_open(f"/my/orders/export{query}")

    def _rows(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/csv", response.headers["Content-Type"])
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM")
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    def test_one_row_per_order_line_with_quantities_and_status(self):
        rows = self._rows(self._export(self.buyer, lang="en_US"))
        header, lines = rows[0], rows[1:]
        self.assertEqual(len(header), 15)
        self.assertEqual(header[0], "Order")
        self.assertEqual(len(lines), 4, "the lines of the three confirmed orders, no draft")
        by_order = {}
        for line in lines:
            by_order.setdefault(line[0], []).append(line)
        self.assertEqual(set(by_order), {self.order_lyon.name, self.order_grenoble.name, self.order_both.name})
        lyon = by_order[self.order_lyon.name][0]
        self.assertEqual(lyon[3], self.buyer.partner_id.name, "ordered by")
        self.assertIn(self.site_lyon.name, lyon[4])
        self.assertEqual(lyon[5], "PAP-pexport")
        self.assertEqual(lyon[7:10], ["10.00", "0.00", "0.00"], "ordered, delivered, invoiced")
        self.assertEqual(lyon[11], "45.00")
        self.assertEqual(lyon[14], "Confirmed")

    def test_french_user_gets_french_decimals_and_labels(self):
        rows = self._rows(self._export(self.buyer, lang="fr_FR"))
        self.assertEqual(rows[0][0], "Commande")
        lyon = next(row for row in rows if row[0] == self.order_lyon.name)
        self.assertEqual(lyon[7], "10,00")
        self.assertEqual(lyon[11], "45,00")
        self.assertEqual(lyon[14], "Confirmée")

    def test_formulas_are_neutralised(self):
        rows = self._rows(self._export(self.buyer))
        references = {row[0]: row[2] for row in rows[1:]}
        self.assertEqual(references[self.order_lyon.name], "'" + self.order_lyon.client_order_ref)
        self.assertEqual(references[self.order_grenoble.name], "'@SUM(A1)")
        self.assertEqual(references[self.order_both.name], "'-2+3")

    def test_filters_apply_and_bad_values_are_refused(self):
        rows = self._rows(self._export(self.buyer, f"?site={self.site_grenoble.id}"))
        self.assertEqual({row[0] for row in rows[1:]}, {self.order_grenoble.name, self.order_both.name})
        rows = self._rows(self._export(self.buyer, f"?categ={self.categ_paper.id}&search=PAP-pexport"))
        self.assertEqual({row[0] for row in rows[1:]}, {self.order_lyon.name, self.order_both.name})
        for query in (f"?site={self.other_site.id}", "?status=nope", "?date_end=31/02/2020"):
            response = self._export(self.buyer, query)
            self.assertEqual(response.status_code, 400, query)
            self.assertNotIn(self.order_lyon.name, response.text)

    def test_another_customer_and_guest_get_none_of_these_orders(self):
        rows = self._rows(self._export(self.other_buyer))
        self.assertEqual({row[0] for row in rows[1:]}, {self.other_order.name})
        response = self._export(self.other_buyer, f"?site={self.site_lyon.id}")
        self.assertEqual(response.status_code, 400)
        self.authenticate(None, None)
        response = self.url_open("/my/orders/export", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
