"""/my/invoices, its /my cards and /my/orders as the payer's accountant sees them: Odoo's own
"Overdue invoices" filter, count and "Pay overdue" page cover the invoices of the user's list
(the same as the status filter's overdue), "Invoices to pay" counts what is left to pay less
disputes and opens the open invoices, an empty filtered list says nothing matches, select all
open skips what is wholly disputed and picks one currency, statuses and month groups read well
in French, a bad order date gets a notice. Another customer's people see none of it."""

from datetime import timedelta

from babel.dates import format_date
from lxml import html

from odoo.tests import HttpCase, tagged

from .test_portal_invoices import B2bPortalInvoicesCommon


@tagged("post_install", "-at_install")
class TestPortalInvoiceListScope(B2bPortalInvoicesCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_invoices_fixtures("plscope")
        # the subsidiary's invoice the payer pays is overdue too (billed to another entity)
        cls.inv_sub.invoice_date_due = cls.today - timedelta(days=5)

    def _dispute(self, invoice, amount):
        return self.env["b2b.invoice.dispute"]._b2b_portal_raise(
            invoice, self.accountant.partner_id, "price", amount, "Prix faux"
        )

    def _counters(self, user, *counters):
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request("/my/counters", {"counters": list(counters)})

    def test_odoo_overdue_filter_is_the_users_scope(self):
        expected = {self.inv_overdue, self.inv_sub}
        by_status = self._listed(self._page(self.accountant, "/my/invoices?status=overdue"))
        by_odoo = self._listed(self._page(self.accountant, "/my/invoices?filterby=overdue_invoices"))
        self.assertEqual(by_status, expected)
        self.assertEqual(by_odoo, expected)
        self.assertEqual(self._counters(self.accountant, "overdue_invoice_count")["overdue_invoice_count"], 2)
        # another customer's people: none of ours
        page = self._page(self.other_buyer, "/my/invoices?filterby=overdue_invoices")
        self.assertEqual(self._listed(page), set())
        self.assertEqual(self._counters(self.other_buyer, "overdue_invoice_count")["overdue_invoice_count"], 0)

    def test_pay_overdue_opens_the_selection_payment(self):
        self._dispute(self.inv_sub, 400.0)  # wholly disputed: nothing to pay on it
        self.authenticate(self.accountant.login, self.accountant.login)
        response = self.url_open("/my/invoices/overdue", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/invoices/pay?invoice_ids={self.inv_overdue.id}"),
            response.headers["Location"],
        )
        # the viewer does not pay: back to the invoices
        viewer = self.portal_users["viewer"]
        self.authenticate(viewer.login, viewer.login)
        response = self.url_open("/my/invoices/overdue", allow_redirects=False)
        self.assertTrue(response.headers["Location"].endswith("/my/invoices"), response.headers["Location"])
        # the other customer's buyer has nothing overdue: back to its (empty) overdue list
        self.authenticate(self.other_buyer.login, self.other_buyer.login)
        response = self.url_open("/my/invoices/overdue", allow_redirects=False)
        self.assertTrue(response.headers["Location"].endswith("/my/invoices?status=overdue"))
        self.assertNotIn(str(self.inv_overdue.id), response.headers["Location"])

    def test_invoices_to_pay_card(self):
        # open: 100 (open), 200 (overdue), 400 (subsidiary); 100 wholly disputed, 200 in part
        self._dispute(self.inv_open, 100.0)
        self._dispute(self.inv_overdue, 50.0)
        counts = self._counters(self.accountant, "b2b_invoices_to_pay_count")
        self.assertEqual(counts["b2b_invoices_to_pay_count"], 2)
        self.authenticate(self.accountant.login, self.accountant.login)
        tree = html.fromstring(self.url_open("/my").text)
        cards = {link.get("title"): link.get("href") for link in tree.xpath("//div[@id='portal_alert_category']//a")}
        self.assertEqual(cards["Invoices to pay"], "/my/invoices?status=open")
        # Odoo's card of the overdue invoices, named as such (not a second "Invoices to pay")
        self.assertEqual(cards["Overdue invoices"], "/my/invoices?filterby=overdue_invoices")
        # the buyer of another customer: no such card count
        self.assertEqual(self._counters(self.other_buyer, "b2b_invoices_to_pay_count")["b2b_invoices_to_pay_count"], 0)

    def test_empty_filtered_lists_say_nothing_matches(self):
        for user, url in (
            (self.accountant, "/my/invoices?search=NOTHING-plscope"),
            (self.accountant, "/my/invoices?status=partial"),
            (self.buyer, "/my/orders?search=NOTHING-plscope"),
        ):
            tree = html.fromstring(self._page(user, url))
            matches = tree.xpath(
                "//div[contains(@class, 'o_b2b_invoice_no_match') or contains(@class, 'o_b2b_order_no_match')]"
            )
            self.assertEqual(len(matches), 1, url)
            self.assertEqual(matches[0].xpath(".//a/@href"), [url.split("?")[0]], url)
            self.assertNotIn("There are currently no", tree.text_content(), url)

    def test_select_open_skips_nothing_to_pay_and_picks_a_currency(self):
        self._dispute(self.inv_open, 100.0)
        tree = html.fromstring(self._page(self.accountant, "/my/invoices"))
        open_ids = {int(value) for value in tree.xpath("//input[@name='invoice_ids'][@data-open]/@value")}
        self.assertEqual(open_ids, set((self.inv_overdue | self.inv_sub).ids))
        currency = self.env.company.currency_id.name
        self.assertEqual(tree.xpath("//button[contains(@class, 'o_b2b_select_open')]/@data-currency"), [currency])
        self.assertEqual(set(tree.xpath("//input[@name='invoice_ids'][@data-open]/@data-currency")), {currency})

    def test_wholly_disputed_invoice_offers_no_dispute(self):
        self._dispute(self.inv_open, 100.0)
        Dispute = self.env["b2b.invoice.dispute"]
        self.assertFalse(Dispute._b2b_portal_can_dispute(self.inv_open, self.accountant.partner_id))
        self.assertTrue(Dispute._b2b_portal_can_dispute(self.inv_overdue, self.accountant.partner_id))
        self.authenticate(self.accountant.login, self.accountant.login)
        page = self.url_open(f"/my/invoices/{self.inv_open.id}").text
        self.assertNotIn("b2b_dispute_form", page)
        self.assertIn("b2b_dispute_form", self.url_open(f"/my/invoices/{self.inv_overdue.id}").text)

    def test_french_statuses_and_month_groups(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.accountant.partner_id.lang = "fr_FR"
        self.env["ir.module.module"]._load_module_terms(["b2b_customer_portal"], ["fr_FR"], overwrite=True)
        tree = html.fromstring(self._page(self.accountant, "/my/invoices"))
        badges = {
            badge.get("data-status"): badge.text_content().strip()
            for badge in tree.xpath("//span[contains(@class, 'o_b2b_invoice_status')]")
        }
        self.assertEqual(badges, {"open": "Ouverte", "overdue": "Échue", "paid": "Payée"})
        tree = html.fromstring(self._page(self.accountant, "/my/invoices?groupby=month"))
        labels = [header.text_content() for header in tree.xpath("//tr[contains(@class, 'o_b2b_invoice_group')]")]
        month = format_date(self.inv_open.invoice_date, "MMMM yyyy", locale="fr_FR").capitalize()
        self.assertTrue(any(month in label for label in labels), labels)
        self.assertFalse(any(self.inv_open.invoice_date.strftime("%m/%Y") in label for label in labels), labels)

    def test_bad_order_date_gets_the_invoice_list_notice(self):
        page = self._page(self.buyer, "/my/orders?date_from=2026-99-01")
        self.assertIn("o_b2b_order_notice", page)
        self.assertIn("2026-99-01", page)
        page = self._page(self.buyer, "/my/orders?date_begin=2026-99-01")
        self.assertIn("o_b2b_order_notice", page)


@tagged("post_install", "-at_install")
class TestPortalInvoiceListPhone(B2bPortalInvoicesCommon, HttpCase):
    """At 375 px, the invoice list's amount due, status and pay button, and the statement's
    balance and overdue, are on screen without scrolling sideways."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_invoices_fixtures("plphone")
        cls.env["ir.config_parameter"].set_param("account_payment.enable_portal_payment", True)

    def test_tour_key_figures_on_a_phone(self):
        self.browser_size = "375x667"
        self.start_tour("/my/invoices", "b2b_customer_portal_invoices_phone_figures", login=self.accountant.login)
        self.start_tour("/my/statement", "b2b_customer_portal_statement_phone", login=self.accountant.login)
