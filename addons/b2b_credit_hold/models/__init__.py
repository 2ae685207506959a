from . import (
    account_move,
    b2b_credit_decision,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_line,
    stock_picking,
)
