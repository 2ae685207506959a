import csv
import io
import math
import re

from odoo import api, models
from odoo.exceptions import UserError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# reference;quantity;delivery address: further columns are never read
MAX_COLUMNS = 3
# far above any order line; above ~1e300 the amounts overflow to infinity and the line crashes
MAX_QUANTITY = 1e9
HEADER_WORDS = {"reference", "référence", "ref", "réf", "code", "product", "produit", "article", "default_code"}


class B2bQuickEntryParser(models.AbstractModel):
    """Reads and validates rows ``reference;quantity[;delivery address reference]`` for any
    channel that turns rows into quotation lines: the back-office quick entry, the portal's
    quick order, orders arriving as files. All or nothing: every bad row is reported."""

    _name = "b2b.quick.entry.parser"
    _description = "Quick entry rows parser"

    @api.model
    def _b2b_parse_rows(self, text=None, file_data=None, filename=None, *, entity, company, default_site, sites=None):
        """Parse and validate rows for a customer.

        :param str text: pasted rows (used when no ``file_data``)
        :param bytes file_data: raw (not base64) content of a CSV or XLSX file
        :param str filename: the file's name (its extension tells XLSX from CSV)
        :param entity: the customer's commercial entity (``res.partner``) the rows are for
        :param company: the company selling (products of other companies are unknown)
        :param default_site: delivery address of the rows that name none
        :param sites: addresses the rows may name; ``None``: any address of ``entity``
        :return: ``(entries, errors)``: ``entries`` is ``{(product, site): quantity}`` in row
            order (same product and site summed); ``errors`` the list of messages ("Row n:
            reason", or one message when the input itself is unreadable or too big). Use the
            entries only when ``errors`` is empty. Bad input never raises.
        The lookups run in a constant number of queries, in the caller's environment.
        """
        try:
            rows = self._b2b_get_rows(text=text, file_data=file_data, filename=filename)
        except UserError as error:
            return {}, [error.args[0]]
        return self._b2b_check_rows(rows, entity=entity, company=company, default_site=default_site, sites=sites)

    # ------------------------------------------------------------------
    # Reading the rows
    # ------------------------------------------------------------------
    @api.model
    def _b2b_get_rows(self, text=None, file_data=None, filename=None):
        """[(row number, cells)] of the non-empty rows, header row removed; UserError when the
        input is unreadable or too big."""
        if file_data:
            rows = self._b2b_read_file_rows(file_data, filename)
        else:
            self._b2b_check_size(len((text or "").encode()), pasted=True)
            rows = [self._b2b_split_row(line) for line in (text or "").splitlines()]
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
    def _b2b_read_file_rows(self, data, filename=None):
        """Rows (lists of cells) of a file's content; UserError when unreadable or too big."""
        self._b2b_check_size(len(data))
        name = (filename or "").lower()
        if name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
            return self._b2b_read_spreadsheet_rows(data)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        if "\x00" in text:
            raise UserError(self.env._("The file could not be read: it is neither CSV nor XLSX."))
        return [self._b2b_split_row(line) for line in text.splitlines()]

    @api.model
    def _b2b_check_size(self, size, pasted=False):
        if size > MAX_FILE_BYTES and pasted:
            raise UserError(self.env._("The pasted lines are larger than 5 MB: split them into several entries."))
        if size > MAX_FILE_BYTES:
            raise UserError(self.env._("The file is larger than 5 MB: split it into several entries."))

    @api.model
    def _b2b_read_spreadsheet_rows(self, data):
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
    def _b2b_split_row(self, line):
        separator = ";" if ";" in line else "\t" if "\t" in line else ","
        try:
            return next(csv.reader([line], delimiter=separator))
        except (csv.Error, StopIteration):
            # e.g. a NUL byte or an unterminated quote: the row is reported, not the whole input
            return [line, ""]

    @api.model
    def _b2b_parse_quantity(self, text):
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
    @api.model
    def _b2b_check_rows(self, rows, *, entity, company, default_site, sites=None):
        """(entries, errors) of numbered rows: see ``_b2b_parse_rows``."""
        references = {cells[0] for _number, cells in rows if cells and cells[0]}
        address_refs = {cells[2] for _number, cells in rows if len(cells) > 2 and cells[2]}
        products = self.env["product.product"].search(
            [
                ("default_code", "in", list(references)),
                ("sale_ok", "=", True),
                ("company_id", "in", [False, company.id]),
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
                quantity = self._b2b_parse_quantity(cells[1])
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
                elif sites is not None and address not in sites:
                    problems.append(self.env._("delivery address “%(ref)s” is not one of your sites", ref=cells[2]))
            if problems:
                errors.append(self.env._("Row %(row)s: %(problems)s", row=number, problems="; ".join(problems)))
                continue
            key = (product, address or default_site)
            entries[key] = entries.get(key, 0.0) + quantity
        if not rows:
            errors.append(self.env._("Nothing to add: paste lines or choose a file."))
        return entries, errors
