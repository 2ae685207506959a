from . import account_move_line, sale_order, sale_order_line, stock_move
