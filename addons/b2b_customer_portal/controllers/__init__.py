from . import (
    approvals,
    credit,
    home,
    invoices,
    invoice_dispute,
    order_page,
    orders,
    quick_order,
)
