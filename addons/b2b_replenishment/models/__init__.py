from . import (
    b2b_replenishment_count,
    b2b_replenishment_period,
    b2b_replenishment_rule,
    b2b_replenishment_run,
    product_template,
    res_partner,
    sale_order,
    sale_order_line,
)
