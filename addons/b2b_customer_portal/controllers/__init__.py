from . import (
    approvals,
    credit,
    home,
    invoice_dispute,
    invoices,
    order_page,
    orders,
    quick_order,
    statement,
)
