import base64

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError


class B2bQuickEntry(models.TransientModel):
    _name = "b2b.quick.entry"
    _description = "Quick entry of quotation lines"

    order_id = fields.Many2one("sale.order", string="Quotation", required=True, ondelete="cascade")
    raw_lines = fields.Text(
        string="Lines",
        help="One line per row: reference;quantity[;delivery address reference]. Separators: "
        "semicolon, tab or comma. A header row is allowed.",
    )
    file = fields.Binary(
        string="CSV or Excel File", help="Same columns as the pasted lines (CSV or XLSX, 5 MB at most)."
    )
    filename = fields.Char()
    preview_html = fields.Html(string="Preview", compute="_compute_preview_html", sanitize=False)

    # ------------------------------------------------------------------
    # Reading and validating the rows: the shared parser (b2b.quick.entry.parser)
    # ------------------------------------------------------------------
    def _check_rows(self):
        """Return (entries, errors): entries are {(product, address): quantity} in row order,
        errors a list of "Row n: reason" for every bad row."""
        self.ensure_one()
        order = self.order_id
        order._b2b_check_quick_entry_allowed()
        return self.env["b2b.quick.entry.parser"]._b2b_parse_rows(
            text=self.raw_lines,
            file_data=base64.b64decode(self.file) if self.file else None,
            filename=self.filename,
            entity=order._b2b_customer_entity(),
            company=order.company_id,
            default_site=order.partner_shipping_id,
        )

    @api.depends("raw_lines", "file", "order_id")
    def _compute_preview_html(self):
        for wizard in self:
            if not wizard.order_id or not (wizard.raw_lines or wizard.file):
                wizard.preview_html = False
                continue
            try:
                entries, errors = wizard._check_rows()
            except UserError as error:
                entries, errors = {}, [str(error)]
            if errors:
                items = Markup("").join(Markup("<li>%s</li>") % error for error in errors)
                wizard.preview_html = Markup('<div class="alert alert-danger"><ul class="mb-0">%s</ul></div>') % items
                continue
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td><td>%s</td></tr>")
                % (product.default_code, product.name, f"{quantity:g}", address.display_name)
                for (product, address), quantity in entries.items()
            )
            wizard.preview_html = Markup(
                '<table class="table table-sm"><thead><tr><th>%s</th><th>%s</th><th class="text-end">%s</th>'
                "<th>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (
                escape(self.env._("Reference")),
                escape(self.env._("Product")),
                escape(self.env._("Quantity")),
                escape(self.env._("Deliver To")),
                rows,
            )

    # ------------------------------------------------------------------
    # Applying: all or nothing
    # ------------------------------------------------------------------
    def action_apply(self):
        """Add the rows to the quotation; any bad row refuses the whole entry."""
        self.ensure_one()
        order = self.order_id
        order._b2b_check_quick_entry_allowed()
        entries, errors = self._check_rows()
        if errors:
            raise UserError(self.env._("Nothing was added to %(order)s:", order=order.name) + "\n" + "\n".join(errors))
        # rows entered into an empty quotation make the whole order: a quick order
        quick_order = not order.order_line
        sequence = max(order.order_line.mapped("sequence"), default=10)
        # Odoo looks up analytic distribution models line by line (two queries a line);
        # without any model for the company there is nothing to find, so skip the lookups.
        # Odoo does that lookup in the line's compute, run as superuser (stored field): so is
        # this one, which only tells whether a model exists, for users without accounting rights.
        skip_analytic = (
            not self.env["account.analytic.distribution.model"]
            .sudo()
            .search_count([("company_id", "in", [False, order.company_id.id])], limit=1)
        )
        vals_list = []
        for (product, address), quantity in entries.items():
            sequence += 1
            vals = {"order_id": order.id, "product_id": product.id, "product_uom_qty": quantity, "sequence": sequence}
            if address != order.partner_shipping_id:
                vals["partner_shipping_id"] = address.id
            if skip_analytic:
                vals["analytic_distribution"] = False
            vals_list.append(vals)
        self.env["sale.order.line"].create(vals_list)
        if quick_order:
            order.b2b_order_type = "quick"
        return {"type": "ir.actions.act_window_close"}
