from odoo import http
from odoo.addons.sale.controllers import portal as sale_portal
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request


class B2bOrderPagePortal(sale_portal.CustomerPortal):
    @http.route()
    def portal_quote_accept(self, order_id, access_token=None, name=None, signature=None):
        """A quotation waiting for the customer's approval, rejected by it or held for credit
        review cannot be signed: say why, in plain words, before Odoo's own checks."""
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            order_sudo = self._document_check_access("sale.order", order_id, access_token=access_token)
        except (AccessError, MissingError):
            return super().portal_quote_accept(order_id, access_token=access_token, name=name, signature=signature)
        message = order_sudo._b2b_portal_blocking_message()
        if message:
            return {"error": message}
        return super().portal_quote_accept(order_id, access_token=access_token, name=name, signature=signature)


class B2bOrderPaymentPortal(sale_portal.PaymentPortal):
    @http.route()
    def portal_order_transaction(self, order_id, access_token, **kwargs):
        """No payment of a quotation that waits for approval or a credit review: the payment
        could not confirm it."""
        try:
            order_sudo = self._document_check_access("sale.order", order_id, access_token)
        except (AccessError, MissingError):
            return super().portal_order_transaction(order_id, access_token, **kwargs)
        message = order_sudo._b2b_portal_blocking_message()
        if message:
            raise ValidationError(message)
        return super().portal_order_transaction(order_id, access_token, **kwargs)
