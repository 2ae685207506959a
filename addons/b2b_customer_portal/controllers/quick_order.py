import csv
import io

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.addons.b2b_order_split_address.models.b2b_quick_entry_parser import MAX_FILE_BYTES
from odoo.addons.sale.controllers import portal as sale_portal
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request


class CustomerPortal(sale_portal.CustomerPortal):
    # ------------------------------------------------------------------
    # Quick order: paste or upload rows, preview, create a quotation
    # ------------------------------------------------------------------
    @http.route("/my/quick-order", type="http", auth="user", methods=["GET", "POST"], website=True)
    def portal_b2b_quick_order(self, rows=None, site_id=None, client_order_ref=None, action=None, **kwargs):
        """GET: the form. POST (CSRF checked by Odoo): ``action=preview`` prices the rows
        without writing anything, ``action=create`` creates the quotation (all or nothing)."""
        SaleOrder = request.env["sale.order"]
        if not SaleOrder._b2b_portal_can_order():
            raise Forbidden()
        sites, default_site = SaleOrder._b2b_portal_order_sites()
        values = {
            "page_name": "b2b_quick_order",
            "sites": sites,
            "site_id": default_site.id,
            "rows": rows or "",
            "client_order_ref": client_order_ref or "",
            "errors": [],
            "preview": None,
        }
        if request.httprequest.method != "POST":
            return request.render("b2b_customer_portal.portal_quick_order", values)

        try:
            values["site_id"] = int(site_id) if site_id else default_site.id
        except ValueError:
            values["site_id"] = -1  # refused below as not one of the user's sites
        upload = request.httprequest.files.get("file")
        file_data = upload.read(MAX_FILE_BYTES + 1) if upload and upload.filename else None
        filename = upload.filename if file_data else None
        if action == "create":
            try:
                order = SaleOrder._b2b_portal_create_quick_order(
                    text=rows,
                    file_data=file_data,
                    filename=filename,
                    site_id=values["site_id"],
                    client_order_ref=client_order_ref,
                )
            except UserError as error:
                values["errors"] = str(error).split("\n")
            else:
                return request.redirect(order.get_portal_url())
        else:
            preview, errors = SaleOrder._b2b_portal_quick_order_preview(
                text=rows, file_data=file_data, filename=filename, site_id=values["site_id"]
            )
            values.update(errors=errors, preview=preview)
            if preview and file_data:
                # a file's rows as validated, so that "Create" re-checks the same rows; pasted
                # rows come back as the user wrote them (header, decimal commas and sites kept)
                values["rows"] = self._b2b_quick_order_rows_text(preview)
        return request.render("b2b_customer_portal.portal_quick_order", values)

    @staticmethod
    def _b2b_quick_order_rows_text(order):
        """reference;quantity;site reference of a previewed quotation's lines, quantities
        written with the user's decimal separator (the parser reads both)."""
        env = request.env
        decimal_point = env["res.lang"]._get_data(code=env.lang or "en_US").decimal_point or "."
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
        for line in order.order_line:
            quantity = f"{line.product_uom_qty:.6f}".rstrip("0").rstrip(".").replace(".", decimal_point)
            row = [line.product_id.default_code, quantity]
            if line.partner_shipping_id.ref:
                row.append(line.partner_shipping_id.ref)
            writer.writerow(row)
        return buffer.getvalue()

    # ------------------------------------------------------------------
    # Order again
    # ------------------------------------------------------------------
    @http.route("/my/orders/<int:order_id>/reorder", type="http", auth="user", methods=["POST"], website=True)
    def portal_b2b_reorder(self, order_id, **kwargs):
        """A new quotation with the order's products, quantities and sites at today's prices.
        Only on an order the user's record rules let it read: an access token is not enough."""
        try:
            self._document_check_access("sale.order", order_id)
        except MissingError as error:
            raise NotFound() from error
        except AccessError as error:
            raise Forbidden() from error
        order = request.env["sale.order"].browse(order_id)
        try:
            new_order = order._b2b_portal_reorder()
        except AccessError as error:
            raise Forbidden() from error
        except UserError:
            return request.redirect(f"/my/orders/{order_id}?b2b_reorder=refused")
        if not new_order:
            return request.redirect(f"/my/orders/{order_id}?b2b_reorder=none")
        return request.redirect(new_order.get_portal_url())
