from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user


class CreditCase(TransactionCase):
    """A payer with a 1,000 limit, tax-free products, a credit manager and a salesman."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # invoices name their customer's postal address (a mandatory mention)
        cls.address = {
            "street": "3 rue du Crédit",
            "zip": "69002",
            "city": "Lyon",
            "country_id": cls.env.ref("base.fr").id,
        }
        cls.customer = cls.env["res.partner"].create({"name": "Client Crédit SARL", "is_company": True, **cls.address})
        cls.contact = cls.env["res.partner"].create({"name": "Carl Contact", "parent_id": cls.customer.id})
        cls.customer.write({"credit_limit": 1000.0, "b2b_credit_policy": "block"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Fourniture",
                "list_price": 100.0,
                "type": "consu",
                "taxes_id": [Command.clear()],
                "invoice_policy": "order",
            }
        )
        cls.credit_manager = new_test_user(
            cls.env, login="b2b_credit_manager", groups="b2b_credit_hold.group_credit_manager,stock.group_stock_user"
        )
        cls.salesman = new_test_user(
            cls.env, login="b2b_credit_salesman", groups="sales_team.group_sale_salesman,stock.group_stock_user"
        )

    @classmethod
    def _order(cls, amount, partner=None, user=None, **vals):
        """A quotation of ``cls.salesman``; taken by ``user`` when given (acting as him)."""
        return (
            cls.env["sale.order"]
            .with_user(user or cls.env.user)
            .create(
                {
                    "partner_id": (partner or cls.contact).id,
                    "user_id": cls.salesman.id,
                    "order_line": [
                        Command.create({"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": amount})
                    ],
                    **vals,
                }
            )
        )

    @classmethod
    def _posted_invoice(cls, amount, days_overdue=0, partner=None, user=None):
        """A posted customer invoice, entered and posted by ``user`` when given."""
        # dates of the role users' day (Europe/Paris), as the credit figures count them: from
        # 23:00 or 22:00 UTC, Paris is already on the next day
        today = fields.Date.context_today(cls.env.user.with_context(tz="Europe/Paris"))
        date = today - timedelta(days=days_overdue + 1)
        invoice = (
            cls.env["account.move"]
            .with_user(user or cls.env.user)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or cls.customer).id,
                    "invoice_date": date,
                    "invoice_date_due": date + timedelta(days=1),
                    "invoice_line_ids": [
                        Command.create({"name": "Fourniture", "quantity": 1, "price_unit": amount, "tax_ids": []})
                    ],
                }
            )
        )
        invoice.invoice_payment_term_id = False
        invoice.invoice_date_due = date + timedelta(days=1)
        invoice.action_post()
        return invoice

    @classmethod
    def _pay(cls, invoice, amount=None, date=None, user=None):
        """Register a payment of ``invoice`` with Odoo's wizard, as ``user`` when given."""
        wizard = (
            cls.env["account.payment.register"]
            .with_user(user or cls.env.user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": date or fields.Date.today(), **({"amount": amount} if amount else {})})
        )
        return wizard._create_payments()
