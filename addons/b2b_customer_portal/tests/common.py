"""What the portal's tests share."""

from odoo import sql_db


def open_counting_queries(case, url):
    """Open ``url`` in an HttpCase ``case`` (as the user it authenticated) and count the SQL
    queries the request runs: (count, response), the response checked to be a 200."""
    counter = {"n": 0}
    original = sql_db.Cursor.execute

    def execute(cursor, query, params=None, log_exceptions=True):
        counter["n"] += 1
        return original(cursor, query, params, log_exceptions)

    case.patch(sql_db.Cursor, "execute", execute)
    response = case.url_open(url, timeout=60)
    sql_db.Cursor.execute = original
    case.assertEqual(response.status_code, 200, url)
    return counter["n"], response


def payment_form_params(provider, payment_method, **extra):
    """The JSON-RPC parameters Odoo's payment form sends to a transaction route (a direct
    payment with ``provider``/``payment_method``, no saved method), overridden by ``extra``."""
    return {
        "provider_id": provider.id,
        "payment_method_id": payment_method.id,
        "token_id": None,
        "flow": "direct",
        "tokenization_requested": False,
        "landing_route": "/my/invoices/pay/done",
        "is_validation": False,
        **extra,
    }
