from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestLatePayer(CreditCase):
    def test_late_payer_from_payment_history(self):
        today = fields.Date.today()
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
