from . import (
    account_move_line,
    b2b_quick_entry_parser,
    res_partner,
    sale_order,
    sale_order_line,
    stock_move,
    stock_picking,
)
