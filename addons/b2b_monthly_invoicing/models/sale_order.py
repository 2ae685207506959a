from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # "express": a phone or counter order confirmed by Express Invoice
    b2b_order_type = fields.Selection(
        selection_add=[("express", "Express Invoice")], ondelete={"express": "set default"}
    )
    b2b_express_invoice_available = fields.Boolean(
        string="Express Invoice Available",
        compute="_compute_b2b_express_invoice_available",
        help="Whether Express Invoice can succeed on this order: not cancelled or fully invoiced, not held "
        "for credit, not waiting for or refused by the customer's approval.",
    )

    # ------------------------------------------------------------------
    # Summary invoices: built by Odoo's own invoicing, grouped per billed
    # party, payer, currency, payment term, fiscal position and journal
    # (not per delivery address), one section per order.
    # ------------------------------------------------------------------
    def _get_invoice_grouping_keys(self):
        keys = super()._get_invoice_grouping_keys()
        if self.env.context.get("b2b_summary_cutoff"):
            keys = [key for key in keys if key != "partner_shipping_id"]
            keys += [key for key in ("invoice_payment_term_id", "journal_id") if key not in keys]
        return keys

    def _b2b_delivered_pickings(self, cutoff=None):
        """The orders' validated deliveries; with ``cutoff``, those validated up to that day (in
        the company's time zone, else the user's), the ones a summary invoice at the cut-off covers."""
        pickings = self.picking_ids.filtered(lambda p: p.state == "done" and p.picking_type_code == "outgoing")
        if cutoff:
            cutoff = fields.Date.to_date(cutoff)
            pickings = pickings.filtered(
                lambda p: fields.Date.context_today(
                    p.with_context(tz=p.company_id.partner_id.tz or self.env.user.tz or "UTC"), p.date_done
                )
                <= cutoff
            )
        return pickings

    def _b2b_summary_section_name(self):
        """The order's section title on a summary invoice, in the invoice's language (the billed
        party's), dates in that language's format."""
        self.ensure_one()
        lang = self.partner_invoice_id.lang or self.env.lang
        order = self.with_context(lang=lang)
        parts = [self.name]
        if self.client_order_ref:
            parts.append(order.env._("your ref. %(ref)s", ref=self.client_order_ref))
        pickings = self._b2b_delivered_pickings(self.env.context.get("b2b_summary_cutoff")).sorted("date_done")
        if pickings:
            deliveries = ", ".join(
                f"{picking.name} ({format_date(order.env, picking.date_done.date(), lang_code=lang)})"
                for picking in pickings
            )
            parts.append(order.env._("deliveries %(deliveries)s", deliveries=deliveries))
        return " - ".join(parts)

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        cutoff = self.env.context.get("b2b_summary_cutoff")
        if cutoff:
            vals["invoice_date"] = cutoff
            vals["b2b_summary_invoice"] = True
            vals["b2b_invoicing_run_id"] = self.env.context.get("b2b_invoicing_run_id", False)
            section = {"display_type": "line_section", "name": self._b2b_summary_section_name(), "sequence": 0}
            vals["invoice_line_ids"] = [Command.create(section), *vals.get("invoice_line_ids", [])]
        return vals

    def _get_invoiceable_lines(self, final=False):
        """On a summary invoice, lines delivered only after the cut-off wait for the next one;
        sections and notes go with the invoiced lines that follow them."""
        lines = super()._get_invoiceable_lines(final)
        cutoff = self.env.context.get("b2b_summary_cutoff")
        if not cutoff:
            return lines
        quantities = lines._b2b_qty_to_invoice_at_cutoff(cutoff)
        if all(quantities.values()):
            return lines
        return self._b2b_lines_with_their_sections(lines, lambda line: quantities.get(line.id, True))

    # ------------------------------------------------------------------
    # Express invoicing of phone and counter orders
    # ------------------------------------------------------------------
    @api.depends(
        lambda self: ["state", "invoice_status", "b2b_approval_state"]
        + (["b2b_credit_hold"] if "b2b_credit_hold" in self._fields else [])
    )
    def _compute_b2b_express_invoice_available(self):
        for order in self:
            order.b2b_express_invoice_available = not order._b2b_express_invoice_error()

    def _b2b_express_invoice_error(self):
        """Why this order cannot be express invoiced now, or False."""
        self.ensure_one()
        if self.state == "cancel":
            return self.env._("%(order)s is cancelled: it cannot be invoiced.", order=self.name)
        if self.invoice_status == "invoiced":
            return self.env._("%(order)s is fully invoiced.", order=self.name)
        if self.b2b_approval_state == "to_approve":
            return self.env._(
                "%(order)s is waiting for the customer's approval: it cannot be invoiced yet.", order=self.name
            )
        if self.b2b_approval_state == "rejected":
            return self.env._("%(order)s was rejected by the customer: it cannot be invoiced.", order=self.name)
        # credit control belongs to b2b_credit_hold, which this addon does not depend on
        if "b2b_credit_hold" in self._fields and self.b2b_credit_hold:
            return self.env._(
                "%(order)s is on credit hold: it cannot be invoiced until a credit manager releases it.",
                order=self.name,
            )
        return False

    def action_b2b_express_invoice(self):
        """Confirm, deliver what stock allows, invoice, post, and open the invoice PDF.

        For salespeople, on the orders they may change (a salesman limited to his own
        documents: his own orders), never on an order held for credit or waiting for (or
        refused by) the customer's approval. The order is confirmed as the user, so every
        control of confirmation applies; delivering, invoicing and posting are then the
        express invoice's own steps, run with full rights (a salesman has no accounting
        rights)."""
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_salesman"):
            raise AccessError(self.env._("Only salespeople can express invoice an order."))
        self.check_access("write")
        error = self._b2b_express_invoice_error()
        if error:
            raise UserError(error)
        if self.state in ("draft", "sent"):
            self.action_confirm()
            if self.state == "sale":
                self.b2b_order_type = "express"
        if self.state != "sale":
            raise UserError(
                self.env._(
                    "%(order)s could not be confirmed (see its messages): it cannot be invoiced at once.",
                    order=self.name,
                )
            )
        order = self.sudo()
        missing = []
        for picking in order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel") and p.picking_type_code == "outgoing"
        ):
            picking.action_assign()
            for move in picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
                if not move.product_id.is_storable:
                    move.quantity = move.product_uom_qty
                if move.product_uom.compare(move.quantity, move.product_uom_qty) < 0:
                    missing.append((move.product_id, move.product_uom_qty - move.quantity, move.product_uom))
                move.picked = True
            if any(move.quantity for move in picking.move_ids):
                picking.with_context(skip_backorder=True).button_validate()
        invoiceable = order.order_line.filtered(lambda line: line.qty_to_invoice > 0)
        if not invoiceable:
            raise UserError(
                self.env._("Nothing of %(order)s could be delivered, so nothing can be invoiced yet.", order=self.name)
            )
        invoice = order._create_invoices()
        invoice.action_post()
        if missing:
            order.message_post(
                body=self.env._(
                    "Express invoice %(invoice)s: not delivered for lack of stock (backorder kept): %(missing)s",
                    invoice=invoice.name,
                    missing=", ".join(f"{product.display_name}: {qty:g} {uom.name}" for product, qty, uom in missing),
                )
            )
        return self.env.ref("account.account_invoices").report_action(invoice.with_env(self.env))
