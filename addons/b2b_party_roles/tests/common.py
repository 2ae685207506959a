from odoo.tests import TransactionCase, new_test_user


class B2bPartyRolesCase(TransactionCase):
    """A head office (billed and paying) with a subsidiary that orders, a group's own
    treasury as payer, an unrelated customer, and internal users of each sales level."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        Partner = cls.env["res.partner"]
        cls.holding = Partner.create({"name": "Holding Test SA", "is_company": True})
        cls.treasury = Partner.create({"name": "Trésorerie Groupe Test", "is_company": True})
        cls.subsidiary = Partner.create({"name": "Filiale Test SAS", "is_company": True, "parent_id": cls.holding.id})
        cls.buyer = Partner.create(
            {"name": "Bea Buyer", "parent_id": cls.subsidiary.id, "email": "bea@filiale.example"}
        )
        cls.approver = Partner.create(
            {
                "name": "Alex Approver",
                "parent_id": cls.subsidiary.id,
                "b2b_portal_role": "approver",
                "email": "alex@filiale.example",
            }
        )
        cls.viewer = Partner.create({"name": "Vic Viewer", "parent_id": cls.subsidiary.id, "b2b_portal_role": "viewer"})
        cls.other_customer = Partner.create({"name": "Autre Client SARL", "is_company": True})
        cls.other_contact = Partner.create({"name": "Otto Other", "parent_id": cls.other_customer.id})

        cls.product = cls.env["product.product"].create(
            {"name": "Ramette test", "default_code": "TST-A4", "list_price": 100.0, "invoice_policy": "order"}
        )
        cls.sales_manager = new_test_user(
            cls.env, login="b2b_sales_manager", groups="sales_team.group_sale_manager,account.group_account_invoice"
        )
        cls.salesman = new_test_user(
            cls.env,
            login="b2b_salesman",
            groups="sales_team.group_sale_salesman,account.group_account_invoice,base.group_partner_manager",
        )

    @classmethod
    def _create_order(cls, partner, qty=1.0, **vals):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": qty, "price_unit": 100.0})],
                **vals,
            }
        )

    @classmethod
    def _configure_head_office(cls):
        """The subsidiary is invoiced to the head office; the group's treasury pays."""
        cls.subsidiary.write(
            {
                "allowed_billed_partner_ids": [(6, 0, cls.holding.ids)],
                "billed_partner_id": cls.holding.id,
                "allowed_payer_ids": [(6, 0, cls.treasury.ids)],
                "payer_id": cls.treasury.id,
            }
        )
