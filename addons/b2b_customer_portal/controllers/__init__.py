from . import (
    approvals,
    autopay,
    credit,
    home,
    invoice_dispute,
    invoice_guest_pay,
    invoice_pay,
    invoices,
    order_page,
    orders,
    quick_order,
    statement,
)
