"""One portal status per order, stored so that the portal filters and groups orders by it in
SQL. Filled in SQL at install (hooks.py), computed by the ORM afterwards."""

# one file per capability of the portal (the addon's layout), hence several sale.order classes
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.tools import SQL

# By precedence: the first that applies is the order's status
PORTAL_STATUSES = [
    ("cancelled", "Cancelled"),
    ("rejected", "Rejected by the Approver"),
    ("to_approve", "Waiting for Approval"),
    ("held", "Held for Credit Review"),
    ("prepayment", "Waiting for Prepayment"),
    ("quotation", "Quotation"),
    ("confirmed", "Confirmed"),
    ("partially_delivered", "Partly Delivered"),
    ("delivered", "Delivered"),
    ("invoiced", "Invoiced"),
]

# The same precedence for existing orders at install (hooks.py): keep both in step
PORTAL_STATUS_SQL = SQL(
    """CASE
        WHEN so.state = 'cancel' THEN 'cancelled'
        WHEN so.b2b_approval_state = 'rejected' THEN 'rejected'
        WHEN so.b2b_approval_state = 'to_approve' THEN 'to_approve'
        WHEN so.b2b_credit_hold AND so.b2b_credit_hold_reason = 'prepay' THEN 'prepayment'
        WHEN so.b2b_credit_hold THEN 'held'
        WHEN so.state IN ('draft', 'sent') AND EXISTS (
            SELECT 1
              FROM res_partner billed
              JOIN res_partner payer ON payer.id = billed.commercial_partner_id
             WHERE billed.id = COALESCE(so.payer_id, so.partner_invoice_id, so.partner_id)
               AND (payer.b2b_credit_policy->>so.company_id::text = 'prepay'
                    OR payer.b2b_credit_policy->>so.company_id::text = 'prepay_first' AND NOT EXISTS (
                        SELECT 1
                          FROM sale_order confirmed
                          JOIN res_partner confirmed_payer ON confirmed_payer.id = confirmed.payer_id
                         WHERE confirmed_payer.commercial_partner_id = payer.id
                           AND confirmed.company_id = so.company_id
                           AND confirmed.state = 'sale'
                           AND confirmed.id != so.id))
        ) THEN 'prepayment'
        WHEN so.state IN ('draft', 'sent') THEN 'quotation'
        WHEN so.invoice_status IN ('invoiced', 'upselling') AND COALESCE(so.delivery_status, 'full') = 'full'
            THEN 'invoiced'
        WHEN so.delivery_status = 'full' THEN 'delivered'
        WHEN so.delivery_status = 'partial' THEN 'partially_delivered'
        ELSE 'confirmed'
    END"""
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_portal_status = fields.Selection(
        PORTAL_STATUSES,
        string="Portal Status",
        compute="_compute_b2b_portal_status",
        store=True,
        index=True,
        help="Where the order stands, as the customer reads it in the portal: cancelled, rejected "
        "by the approver, waiting for approval, held for credit review, waiting for prepayment, "
        "quotation, confirmed, partly delivered, delivered or invoiced (the first that applies).",
    )

    # A portal list grouped by status, site, contact or order type reads its page group by
    # group, each newest first (controllers/orders.py: _b2b_order_grouped_page): PostgreSQL
    # walks these indexes and stops at the page's last order instead of sorting all the
    # customer's orders (for 10,000 orders:
    # the site filter grouped by status 18 ms -> 0.2 ms, grouped by site with a status filter
    # 6.9 ms -> 0.8 ms, grouped by type 6.6 ms -> 1.0 ms). Created at install by CREATE INDEX,
    # without rewriting any row. The status index holds the confirmed orders only (the order
    # list's): with the quotations in it, the quotation list grouped by status walked past
    # every confirmed order ('confirmed' sorts before 'quotation': 8.6 ms instead of 2.4 ms).
    # It also carries the columns the order list counts and filters on, so that its counts
    # are read from the index alone (the addon's columns are the last of each order's row,
    # costly to reach): the plain list's count 2.8 -> 1.7 ms, grouped by site with a status
    # filter 7.8 -> 3.0 ms, the site filter grouped by status 11.8 -> 6.1 ms.
    _b2b_portal_status_date_idx = models.Index(
        "(b2b_portal_status, date_order DESC, id DESC) "
        "INCLUDE (partner_id, company_id, partner_shipping_id, b2b_order_type) WHERE state = 'sale'"
    )
    # The order list itself (newest first, Odoo's own sorting), walked from the index alone
    # down to a far page: page 50's query 3.7 -> 1.0 ms for 10,000 orders (stock walks Odoo's
    # (date_order, id) index and reads each order's row)
    _b2b_order_list_date_idx = models.Index(
        "(date_order DESC, id DESC) INCLUDE (partner_id, company_id) WHERE state = 'sale'"
    )
    _b2b_shipping_date_idx = models.Index("(partner_shipping_id, date_order DESC, id DESC)")
    _b2b_partner_date_idx = models.Index("(partner_id, date_order DESC, id DESC)")
    _b2b_order_type_date_idx = models.Index("(b2b_order_type, date_order DESC, id DESC)")

    def _b2b_read_by_portal_list(self, name, key, domain):
        """What the portal order list being prepared (controllers/orders.py:
        _prepare_sale_portal_rendering_values) has already read for Odoo's own ``name``
        ('count' or 'page') of the same ``key`` (user, and page) and domain, else None."""
        order_list = getattr(request, "_b2b_order_list", None) if request else None
        read = order_list and order_list.get(name)
        if read and not self.env.su and read[0] == key and read[1] == domain:
            return read[2]
        return None

    @api.model
    def search_count(self, domain, limit=None):
        # A portal list grouped by site, contact, status or type has counted its groups just
        # before Odoo counts the whole list: the count is their sum, not a second scan of the
        # orders
        total = self._b2b_read_by_portal_list("count", self.env.uid, domain) if limit is None else None
        return total if total is not None else super().search_count(domain, limit=limit)

    @api.model
    def search(self, domain, offset=0, limit=None, order=None):
        # The same list has read Odoo's page already, in its groups' own order (sites and
        # contacts by name, statuses by precedence: _b2b_order_grouped_page)
        page = self._b2b_read_by_portal_list("page", (self.env.uid, offset, limit), domain)
        return page if page is not None else super().search(domain, offset=offset, limit=limit, order=order)

    @api.depends(
        "state",
        "b2b_approval_state",
        "b2b_credit_hold",
        "b2b_credit_hold_reason",
        "delivery_status",
        "invoice_status",
        # who pays, and so whether it must prepay (b2b_credit_hold's payer policies)
        "partner_id",
        "partner_invoice_id",
        "payer_id",
        "company_id",
        "require_payment",
        "prepayment_percent",
    )
    def _compute_b2b_portal_status(self):
        # stored, so computed in superuser mode: the hold reason is for internal users only
        for order in self:
            order.b2b_portal_status = order._b2b_portal_status_value()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._b2b_check_portal_status_written(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._b2b_check_portal_status_written(vals)
        return super().write(vals)

    def _action_confirm(self):
        res = super()._action_confirm()
        # a payer's first confirmed order ends its "prepay first" prepayments
        self._b2b_recompute_portal_status_of_payers(self.payer_id.commercial_partner_id)
        return res

    @api.model
    def _b2b_recompute_portal_status_of_payers(self, payers):
        """Recompute the portal status of the open quotations paid by ``payers`` (entities)
        when their prepayment may have changed: the payer's policy, its first order."""
        if not payers:
            return
        quotations = (
            self.sudo()
            .with_context(active_test=False)
            .search([("state", "in", ("draft", "sent")), ("payer_id.commercial_partner_id", "in", payers.ids)])
        )
        if quotations:
            self.env.add_to_compute(self._fields["b2b_portal_status"], quotations)

    @api.model
    def _b2b_check_portal_status_written(self, vals):
        if "b2b_portal_status" in vals and not self.env.su:
            raise AccessError(self.env._("The portal status of an order follows the order: it cannot be set."))

    def _b2b_portal_status_value(self):
        self.ensure_one()
        if self.state == "cancel":
            return "cancelled"
        if self.b2b_approval_state in ("rejected", "to_approve"):
            return self.b2b_approval_state
        if self.b2b_credit_hold:
            return "prepayment" if self.b2b_credit_hold_reason == "prepay" else "held"
        if self.state in ("draft", "sent"):
            # a payer that prepays (policy prepay, or prepay_first on its first order) pays the
            # quotation online in full before it is confirmed (b2b_credit_hold)
            return "prepayment" if self.partner_id and self._b2b_prepayment_required() else "quotation"
        if self.invoice_status in ("invoiced", "upselling") and self.delivery_status in (False, "full"):
            return "invoiced"
        if self.delivery_status == "full":
            return "delivered"
        if self.delivery_status == "partial":
            return "partially_delivered"
        return "confirmed"

    @api.model
    def _b2b_portal_visible_domain(self):
        """Orders the customer's people follow in the portal: every order sent or confirmed,
        and the drafts that concern them (created in the portal or from the customer's own
        emailed or UBL order, waiting for, approved or rejected by their approver, held for
        credit); not the quotations a salesperson is still preparing. The portal scope rule
        applies it too (RPC gives what the lists give)."""
        return [
            "|",
            "|",
            "|",
            "|",
            ("state", "in", ("sent", "sale")),
            ("b2b_created_in_portal", "=", True),
            ("b2b_order_type", "=", "edi"),
            ("b2b_approval_state", "in", ("to_approve", "approved", "rejected")),
            ("b2b_credit_hold", "=", True),
        ]


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # The site filter of the portal lists and the sites of the scope rule keep the orders
    # with a line delivered to a site: a semi-join answered from this index alone (an
    # index-only scan instead of reading the lines: 29 ms -> 8 ms for 10,000 orders).
    # Created at install by CREATE INDEX, without rewriting any row.
    _b2b_shipping_order_idx = models.Index("(partner_shipping_id, order_id) WHERE partner_shipping_id IS NOT NULL")
