import threading

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, new_test_user


def run_concurrently(registry, *callables, timeout=60):
    """Run each callable in its own thread and its own transaction, all at the same moment.

    Each callable is called as ``callable(env, barrier)``: ``env`` is a superuser environment
    on a cursor of its own, opened in its thread (act as a user with ``env(user=user_id)``);
    ``barrier`` is the ``threading.Barrier`` of all the threads, which a callable may wait on
    again to go on in step with the others (``barrier.wait()``). Before any callable starts,
    every transaction has taken its snapshot (a first query) and the threads wait for each
    other: none sees what another one commits during the run.

    A callable that returns commits its transaction; one that raises rolls it back (the
    cursor's own context manager), and a callable may also ``env.cr.commit()`` or
    ``env.cr.rollback()`` itself. Returns one entry per callable, in order: what it returned,
    or the exception it raised (a ``TimeoutError`` for a thread still running after
    ``timeout`` seconds; a ``threading.BrokenBarrierError`` when another thread failed before
    a barrier). The data are really committed: the caller sets them up and removes them
    with cursors of its own (a ``BaseCase``, not a ``TransactionCase``)."""
    barrier = threading.Barrier(len(callables), timeout=timeout)
    outcomes = [TimeoutError(f"still running after {timeout} s")] * len(callables)

    def run(index, function):
        try:
            with registry.cursor() as cr:
                cr.execute("SELECT 1")  # the transaction's snapshot, before the others commit
                barrier.wait()
                outcomes[index] = function(api.Environment(cr, SUPERUSER_ID, {}), barrier)
        except Exception as error:  # handed to the caller, who asserts on it
            outcomes[index] = error
            barrier.abort()  # the others do not wait for this one at a barrier

    threads = [
        threading.Thread(target=run, args=(index, function), name=f"run_concurrently-{index}")
        for index, function in enumerate(callables)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes


class B2bPartyRolesCase(TransactionCase):
    """A head office (billed and paying) with a subsidiary that orders, a group's own
    treasury as payer, an unrelated customer, and internal users of each sales level."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        Partner = cls.env["res.partner"]
        # a postal address: French legal checks refuse to post an invoice to a customer without one
        address = {"street": "1 rue du Test", "zip": "69002", "city": "Lyon", "country_id": cls.env.ref("base.fr").id}
        cls.holding = Partner.create({"name": "Holding Test SA", "is_company": True, **address})
        cls.treasury = Partner.create({"name": "Trésorerie Groupe Test", "is_company": True, **address})
        cls.subsidiary = Partner.create(
            {"name": "Filiale Test SAS", "is_company": True, "parent_id": cls.holding.id, **address}
        )
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
        cls.other_customer = Partner.create({"name": "Autre Client SARL", "is_company": True, **address})
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


# Groups of each real role, as a company would set them up. Groups of addons that
# b2b_party_roles does not depend on are given when installed (they are in make test).
B2B_INTERNAL_ROLES = {
    # a salesman who sees his own documents only
    "salesman": "sales_team.group_sale_salesman",
    "sales_manager": "sales_team.group_sale_manager",
    # a billing clerk: Invoicing rights, and a salesman's own documents in Sales
    "billing": "account.group_account_invoice,sales_team.group_sale_salesman",
    "accountant": "account.group_account_user,sales_team.group_sale_salesman_all_leads",
    # a credit manager without accounting rights
    "credit_manager": "b2b_credit_hold.group_credit_manager",
    "stock_user": "stock.group_stock_user",
}
B2B_PORTAL_ROLES = ("buyer", "approver", "accountant", "viewer")


class B2bRoleUsersMixin:
    """One user per real role, with only the groups that role has in a real company.

    Internal users: ``cls.users["salesman"]``, ``["sales_manager"]``, ``["billing"]``,
    ``["accountant"]``, ``["credit_manager"]``, ``["stock_user"]``.
    Portal users of the customer ``cls.portal_customer`` (a company with two delivery
    sites): ``cls.portal_users["buyer"]``, ``["approver"]``, ``["accountant"]``,
    ``["viewer"]``, and ``cls.portal_users["other_buyer"]``, a buyer of another customer.
    The superuser only builds these fixtures: act ``with_user(...)``."""

    @classmethod
    def _b2b_groups(cls, spec):
        return ",".join(xmlid for xmlid in spec.split(",") if cls.env.ref(xmlid, raise_if_not_found=False))

    @classmethod
    def _b2b_create_role_users(cls, prefix="b2b"):
        Partner = cls.env["res.partner"]
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"{prefix}_{role}",
                name=f"{role.replace('_', ' ').title()} ({prefix})",
                email=f"{prefix}.{role}@supplier.example",
                groups=cls._b2b_groups(groups),
                tz="Europe/Paris",
            )
            for role, groups in B2B_INTERNAL_ROLES.items()
        }
        country_fr = cls.env.ref("base.fr")
        address = {"street": "1 rue du Test", "zip": "69002", "city": "Lyon", "country_id": country_fr.id}
        cls.portal_customer = Partner.create({"name": f"Client Portail {prefix} SA", "is_company": True, **address})
        cls.portal_sites = Partner.create(
            [
                {
                    "name": f"Site {city}",
                    "type": "delivery",
                    "parent_id": cls.portal_customer.id,
                    "street": f"2 avenue de {city}",
                    "zip": zip_code,
                    "city": city,
                    "country_id": country_fr.id,
                }
                for city, zip_code in (("Lyon", "69003"), ("Grenoble", "38000"))
            ]
        )
        cls.other_portal_customer = Partner.create(
            {"name": f"Autre Client {prefix} SARL", "is_company": True, **address}
        )
        cls.portal_users = {}
        for role in (*B2B_PORTAL_ROLES, "other_buyer"):
            customer = cls.other_portal_customer if role == "other_buyer" else cls.portal_customer
            contact = Partner.create(
                {
                    "name": f"{role.replace('_', ' ').title()} {prefix}",
                    "parent_id": customer.id,
                    "email": f"{prefix}.{role}@customer.example",
                    "b2b_portal_role": "buyer" if role == "other_buyer" else role,
                }
            )
            cls.portal_users[role] = new_test_user(
                cls.env,
                login=f"{prefix}_portal_{role}",
                groups="base.group_portal",
                partner_id=contact.id,
                tz="Europe/Paris",
            )


class B2bPartyRolesUsersCase(B2bRoleUsersMixin, B2bPartyRolesCase):
    """The head office, its subsidiary and their contacts, with one user per real role
    (``cls.users``, ``cls.portal_users``): fixtures as the superuser, actions ``with_user``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix=cls.__name__.lower())

    def _order_as(self, user, partner, qty=1.0, **vals):
        """An order taken by ``user`` (his own, unless ``user_id`` says otherwise)."""
        return (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        (0, 0, {"product_id": self.product.id, "product_uom_qty": qty, "price_unit": 100.0})
                    ],
                    **vals,
                }
            )
        )

    def _invoice_as(self, user, orders):
        """Confirm ``orders`` and create their invoices with the Create Invoice wizard, as ``user``."""
        orders = orders.with_user(user)
        orders.action_confirm()
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(user)
            .with_context(active_model="sale.order", active_ids=orders.ids)
            .create({"advance_payment_method": "delivered"})
        )
        wizard.create_invoices()
        return orders.sudo().invoice_ids
