from . import (
    approvals,
    credit,
    home,
    invoice_dispute,
    order_page,
    orders,
    quick_order,
)
