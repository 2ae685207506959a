from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestLatePayer(CreditCase):
    def test_late_payer_from_payment_history(self):
        today = fields.Date.context_today(self.env.user.with_context(tz="Europe/Paris"))  # as the invoices' dates
        self.company.write({"b2b_late_payer_min_invoices": 3, "b2b_late_payer_days": 15})
        for _ in range(2):
            self._pay(self._posted_invoice(100, days_overdue=40), date=today)
        self._pay(self._posted_invoice(100, days_overdue=5), date=today)  # 5 days late: not counted
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.b2b_late_payer, "two late invoices only")
        self._pay(self._posted_invoice(100, days_overdue=30), date=today - timedelta(days=1))
        self.customer.invalidate_recordset()
        self.assertTrue(self.customer.b2b_late_payer)
        # (40 + 40 + 5 + 29) / 4
        self.assertAlmostEqual(self.customer.b2b_avg_days_late, 28.5, places=1)
        order = self._order(10)
        self.assertTrue(order.b2b_late_payer, "the badge shows on the customer's orders")
        self.company.b2b_late_payer_min_invoices = 5
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.b2b_late_payer)

    def test_late_payer_of_a_list_in_constant_queries(self):
        """The salesman's order list reads the late-payer badge of every order's payer in
        one query, whatever the number of orders."""
        salesman = self.salesman
        customers = self.env["res.partner"].create(
            [{"name": f"Client Liste {index}", "is_company": True, **self.address} for index in range(10)]
        )
        orders = self.env["sale.order"].concat(*(self._order(10, partner=customer) for customer in customers))
        self._pay(self._posted_invoice(100, days_overdue=40, partner=customers[0]))

        def queries_to_read(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            records.with_user(salesman).mapped("b2b_late_payer")
            return self.env.cr.sql_log_count - before

        queries_to_read(orders)  # warm the user's caches (groups, rules)
        self.assertEqual(queries_to_read(orders[:1]), queries_to_read(orders))
