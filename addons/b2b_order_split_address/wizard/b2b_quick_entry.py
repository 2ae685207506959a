import base64
import csv
import io
import math
import re

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# reference;quantity;delivery address: further columns are never read
MAX_COLUMNS = 3
# far above any order line; above ~1e300 the amounts overflow to infinity and the line crashes
MAX_QUANTITY = 1e9
HEADER_WORDS = {"reference", "référence", "ref", "réf", "code", "product", "produit", "article", "default_code"}


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
    # Reading the rows
    # ------------------------------------------------------------------
    def _read_file_rows(self):
        """Rows (lists of cells) of the uploaded file; UserError when unreadable or too big."""
        data = base64.b64decode(self.file or b"")
        self._check_size(len(data))
        name = (self.filename or "").lower()
        if name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
            return self._read_spreadsheet_rows(data)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        if "\x00" in text:
            raise UserError(self.env._("The file could not be read: it is neither CSV nor XLSX."))
        return [self._split_row(line) for line in text.splitlines()]

    def _check_size(self, size, pasted=False):
        if size > MAX_FILE_BYTES and pasted:
            raise UserError(self.env._("The pasted lines are larger than 5 MB: split them into several entries."))
        if size > MAX_FILE_BYTES:
            raise UserError(self.env._("The file is larger than 5 MB: split it into several entries."))

    def _read_spreadsheet_rows(self, data):
        """Rows of the first sheet, read only as far as it has data: the size a sheet declares
        (up to A1:XFD1048576) is ignored, only the first columns are read, and reading stops
        past the row limit (refused)."""
        try:
            import openpyxl

            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()
            rows, filled = [], 0
            for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                cells = ["" if value is None else str(value) for value in values]
                rows.append(cells)
                filled += any(cell.strip() for cell in cells)
                if filled > MAX_ROWS + 1:  # a header row may come first
                    break
        except Exception as error:
            raise UserError(
                self.env._("The file could not be read as an Excel file: %(error)s", error=error)
            ) from error
        if filled > MAX_ROWS + 1:
            raise UserError(self.env._("More than %(max)s rows: at most %(max)s rows per entry.", max=MAX_ROWS))
        return rows

    @api.model
    def _split_row(self, line):
        separator = ";" if ";" in line else "\t" if "\t" in line else ","
        return next(csv.reader([line], delimiter=separator))

    def _get_rows(self):
        """[(row number, cells)] of the non-empty rows, header row removed."""
        if self.file:
            rows = self._read_file_rows()
        else:
            self._check_size(len((self.raw_lines or "").encode()), pasted=True)
            rows = [self._split_row(line) for line in (self.raw_lines or "").splitlines()]
        numbered = [(number, [cell.strip() for cell in cells]) for number, cells in enumerate(rows, 1)]
        numbered = [(number, cells) for number, cells in numbered if any(cells)]
        if numbered and numbered[0][1][0].lower() in HEADER_WORDS:
            numbered = numbered[1:]
        if len(numbered) > MAX_ROWS:
            raise UserError(
                self.env._("%(count)s rows: at most %(max)s rows per entry.", count=len(numbered), max=MAX_ROWS)
            )
        return numbered

    @api.model
    def _parse_quantity(self, text):
        text = re.sub(r"[\s\u00a0]", "", text or "")
        if re.fullmatch(r"\d+,\d+", text):
            text = text.replace(",", ".")
        quantity = float(text)
        if not math.isfinite(quantity):  # nan, inf, 1e400
            raise ValueError(text)
        return quantity

    # ------------------------------------------------------------------
    # Validating: every bad row is reported, in a constant number of queries
    # ------------------------------------------------------------------
    def _check_rows(self):
        """Return (entries, errors): entries are {(product, address): quantity} in row order,
        errors a list of "Row n: reason" for every bad row."""
        self.ensure_one()
        order = self.order_id
        order._b2b_check_quick_entry_allowed()
        entity = order._b2b_customer_entity()
        rows = self._get_rows()
        references = {cells[0] for _number, cells in rows if cells and cells[0]}
        address_refs = {cells[2] for _number, cells in rows if len(cells) > 2 and cells[2]}
        products = self.env["product.product"].search(
            [
                ("default_code", "in", list(references)),
                ("sale_ok", "=", True),
                ("company_id", "in", [False, order.company_id.id]),
            ]
        )
        products.uom_id.mapped("rounding")  # one read for the rounding checks below
        products_by_code = {}
        for product in products:
            products_by_code.setdefault(product.default_code, self.env["product.product"])
            products_by_code[product.default_code] |= product
        addresses = self.env["res.partner"].search([("ref", "in", list(address_refs))]) if address_refs else []
        addresses_by_ref = {}
        for address in addresses:
            # prefer the customer's own address when a reference exists elsewhere too
            if address.ref not in addresses_by_ref or address.commercial_partner_id == entity:
                addresses_by_ref[address.ref] = address

        entries, errors = {}, []
        for number, cells in rows:
            problems = []
            reference = cells[0] if cells else ""
            if len(cells) < 2 or not reference:
                errors.append(self.env._("Row %(row)s: expected reference;quantity[;delivery address]", row=number))
                continue
            product = products_by_code.get(reference)
            if not product:
                problems.append(self.env._("unknown product reference “%(ref)s”", ref=reference))
            elif len(product) > 1:
                problems.append(self.env._("several products have the reference “%(ref)s”", ref=reference))
            try:
                quantity = self._parse_quantity(cells[1])
            except ValueError:
                quantity = None
                problems.append(self.env._("quantity “%(qty)s” is not a number", qty=cells[1]))
            if quantity is not None and quantity <= 0:
                problems.append(self.env._("quantity must be more than zero (%(qty)s)", qty=cells[1]))
            elif quantity is not None and quantity > MAX_QUANTITY:
                problems.append(
                    self.env._(
                        "quantity %(qty)s is too large (at most %(max)s)", qty=cells[1], max=f"{MAX_QUANTITY:,.0f}"
                    )
                )
            elif quantity is not None and product and len(product) == 1 and product.uom_id.is_zero(quantity):
                problems.append(
                    self.env._(
                        "quantity %(qty)s is 0 in %(unit)s (rounded to %(rounding)s)",
                        qty=cells[1],
                        unit=product.uom_id.name,
                        rounding=product.uom_id.rounding,
                    )
                )
            address = self.env["res.partner"]
            if len(cells) > 2 and cells[2]:
                address = addresses_by_ref.get(cells[2], self.env["res.partner"])
                if not address:
                    problems.append(self.env._("unknown delivery address “%(ref)s”", ref=cells[2]))
                elif address.commercial_partner_id != entity:
                    problems.append(
                        self.env._(
                            "delivery address “%(ref)s” is not an address of %(customer)s",
                            ref=cells[2],
                            customer=entity.display_name,
                        )
                    )
            if problems:
                errors.append(self.env._("Row %(row)s: %(problems)s", row=number, problems="; ".join(problems)))
                continue
            key = (product, address or order.partner_shipping_id)
            entries[key] = entries.get(key, 0.0) + quantity
        if not rows:
            errors.append(self.env._("Nothing to add: paste lines or choose a file."))
        return entries, errors

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
        return {"type": "ir.actions.act_window_close"}
