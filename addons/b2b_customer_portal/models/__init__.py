from . import (
    account_move,
    b2b_invoice_dispute,
    b2b_statement_report,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_approval,
    sale_order_credit,
    sale_order_import,
    sale_order_quick,
    sale_order_status,
)
