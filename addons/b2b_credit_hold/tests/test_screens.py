from lxml import etree

from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestScreens(B2bRoleUsersMixin, CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="credit_scr")

    def _form_arch(self, model, user):
        views = self.env[model].with_user(user).get_views([(False, "form")])
        return etree.fromstring(views["views"]["form"]["arch"])

    def test_confirm_not_offered_on_held_or_unapproved_orders(self):
        arch = self._form_arch("sale.order", self.users["salesman"])
        buttons = arch.xpath("//header/button[@name='action_confirm']")
        self.assertEqual(len(buttons), 2)
        for button in buttons:
            self.assertIn("b2b_credit_hold", button.get("invisible"))
            self.assertIn("'to_approve', 'rejected'", button.get("invisible"))
        # and the server refuses it: confirming a held order keeps it held
        order = self._order(1500, user_id=self.users["salesman"].id).with_user(self.users["salesman"])
        order.action_confirm()
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.b2b_credit_hold)

    def test_decision_dialog_shows_figures(self):
        manager = self.users["credit_manager"]
        self._posted_invoice(300, days_overdue=10)
        order = self._order(900)
        order.action_confirm()
        self.assertTrue(order.b2b_credit_hold)
        action = order.with_user(manager).action_b2b_credit_release()
        wizard = (
            self.env[action["res_model"]]
            .with_user(manager)
            .with_context(**action["context"])
            .create({"reason": "À voir"})
        )
        self.assertEqual(wizard.partner_id, self.customer)
        self.assertEqual(wizard.hold_reason, "limit")
        self.assertEqual(wizard.amount, 900.0)
        self.assertEqual(wizard.exposure, 300.0)
        self.assertEqual(wizard.credit_limit, 1000.0)
        self.assertTrue(wizard.credit_limit_set)
        self.assertEqual(wizard.overdue_amount, 300.0)
        self.assertEqual(wizard.oldest_overdue_days, 10)
        arch = self._form_arch("b2b.credit.decision.wizard", manager)
        for name in ("exposure", "credit_limit", "amount", "overdue_amount"):
            self.assertTrue(arch.xpath(f"//field[@name='{name}']"), name)

    def test_no_limit_reads_no_limit(self):
        salesman = self.users["salesman"]
        self.customer.credit_limit = 0
        customer = self.customer.with_user(salesman)
        self.assertFalse(customer.b2b_credit_limit_set)
        self.customer.credit_limit = 800
        customer.invalidate_recordset()
        self.assertTrue(customer.b2b_credit_limit_set)
        self.assertEqual(customer.b2b_credit_available, 800.0)
        arch = self._form_arch("res.partner", salesman)
        available = arch.xpath("//field[@name='b2b_credit_available']")[0]
        self.assertEqual(available.get("invisible"), "not b2b_credit_limit_set")
        self.assertIn("No limit", etree.tostring(arch, encoding="unicode"))

    def test_overdue_blocked_customer_banner(self):
        salesman = self.users["salesman"]
        self.customer.write({"b2b_overdue_block": True, "b2b_overdue_grace_days": 5, "credit_limit": 10**6})
        order = self._order(100, user_id=salesman.id).with_user(salesman)
        self.assertFalse(order.b2b_credit_overdue_block)
        self._posted_invoice(100, days_overdue=10)
        order.invalidate_recordset()
        self.assertTrue(order.b2b_credit_overdue_block)
        arch = self._form_arch("sale.order", salesman)
        banners = arch.xpath("//div[hasclass('alert')][contains(@invisible, 'b2b_credit_overdue_block')]")
        self.assertTrue(banners)
        # on a new quotation too, as soon as the customer is chosen
        with Form(self.env["sale.order"].with_user(salesman)) as form:
            form.partner_id = self.contact
            self.assertTrue(form.b2b_credit_overdue_block)
            with form.order_line.new() as line:
                line.product_id = self.product
        order.action_confirm()
        self.assertEqual(order.b2b_credit_hold_reason, "overdue")


@tagged("post_install", "-at_install")
class TestAgeingReportAccess(B2bRoleUsersMixin, CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="credit_age")

    def test_ageing_report_for_credit_managers_and_accounting(self):
        invoice = self._posted_invoice(700, days_overdue=40)
        report = self.env["b2b.credit.ageing.report"]
        with self.assertRaises(AccessError):
            report.with_user(self.users["salesman"]).search([])
        menu = self.env.ref("b2b_credit_hold.menu_b2b_credit_ageing")
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.users["salesman"])._visible_menu_ids())
        for role in ("credit_manager", "billing", "accountant"):
            with self.subTest(role=role):
                lines = report.with_user(self.users[role]).search([("partner_id", "=", self.customer.id)])
                self.assertEqual(lines.mapped("document"), [invoice.name])
                self.assertEqual(lines.bucket, "4_31_60")
                self.assertEqual(lines.amount, 700.0)
                self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.users[role])._visible_menu_ids())

    def test_ageing_report_adds_up_to_exposure(self):
        """The report and the customer's figures read one definition of exposure."""
        self.customer.credit_limit = 10**6
        self._posted_invoice(700, days_overdue=40)
        self._order(250).action_confirm()
        draft = self._order(100)
        draft.action_confirm()
        draft._create_invoices()
        self.env.flush_all()  # a report reads its SQL view: each request ends flushed
        manager = self.users["credit_manager"]
        lines = self.env["b2b.credit.ageing.report"].with_user(manager).search([("partner_id", "=", self.customer.id)])
        self.assertEqual(sorted(lines.mapped("bucket")), ["0_to_invoice", "1_draft", "4_31_60"])
        customer = self.customer.with_user(manager)
        self.assertEqual(customer.b2b_credit_exposure, 1050.0)
        self.assertAlmostEqual(sum(lines.mapped("amount")), customer.b2b_credit_exposure)


@tagged("post_install", "-at_install")
class TestFormsOpenForEveryRole(B2bRoleUsersMixin, CreditCase):
    """Credit fields are restricted to some groups: the customer and order forms still open
    for every internal role (a view field a user may not read would fail the form)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="credit_forms")
        cls.customer.write({"b2b_manual_hold": True, "b2b_hold_note": "Revue annuelle"})

    def test_customer_form_opens_for_every_role(self):
        for role, user in self.users.items():
            with self.subTest(role=role):
                form = Form(self.customer.with_user(user))
                self.assertEqual(form.name, self.customer.name)
                self.assertTrue(form.b2b_manual_hold)

    def test_order_form_opens_for_sales_roles(self):
        order = self._order(1500, user_id=self.users["salesman"].id)
        order.action_confirm()
        self.assertTrue(order.b2b_credit_hold)
        for role in ("salesman", "sales_manager", "accountant", "credit_manager"):
            with self.subTest(role=role):
                form = Form(order.with_user(self.users[role]))
                self.assertTrue(form.b2b_credit_hold)
                self.assertEqual(form.b2b_credit_hold_reason, "manual")
