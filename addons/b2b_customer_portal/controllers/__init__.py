from . import (
    approvals,
    credit,
    home,
    order_page,
    orders,
    quick_order,
)
