from . import account_move_line, res_partner, sale_order, sale_order_line, stock_move, stock_picking
