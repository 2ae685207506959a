from . import (
    approvals,
    credit,
    home,
    invoices,
    statement,
    invoice_dispute,
    order_page,
    orders,
    quick_order,
)
