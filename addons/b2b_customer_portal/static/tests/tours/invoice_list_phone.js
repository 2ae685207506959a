import { registry } from "@web/core/registry";

/**
 * The elements of ``selector`` that are not wholly inside the window (left or right).
 */
function offScreen(selector) {
    return [...document.querySelectorAll(selector)].filter((element) => {
        const box = element.getBoundingClientRect();
        return box.left < 0 || box.right > window.innerWidth + 1;
    });
}

function checkOnScreen(selectors) {
    for (const selector of selectors) {
        if (!document.querySelector(selector)) {
            throw new Error(`nothing matches ${selector}`);
        }
        const hidden = offScreen(selector);
        if (hidden.length) {
            const right = Math.round(hidden[0].getBoundingClientRect().right);
            throw new Error(`${selector}: ${hidden.length} off screen (right edge ${right}px, window ${window.innerWidth}px)`);
        }
    }
    const page = document.documentElement;
    if (page.scrollWidth > window.innerWidth + 1) {
        throw new Error(`page ${page.scrollWidth}px wide in a ${window.innerWidth}px window`);
    }
}

// Data from tests/test_portal_invoice_list_scope.py (TestPortalInvoiceListPhone), at 375 px:
// the payer's accountant reads each invoice's amount due, status and pay button.
registry.category("web_tour.tours").add("b2b_customer_portal_invoices_phone_figures", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "amount due, status and pay button of each row on screen, no sideways scroll",
            trigger: "table.o_portal_my_doc_table td[name='invoice_amount']",
            run() {
                checkOnScreen([
                    "table.o_portal_my_doc_table td[name='invoice_amount']",
                    "table.o_portal_my_doc_table .o_b2b_invoice_status",
                    "table.o_portal_my_doc_table a[href*='payment=True']",
                ]);
            },
        },
    ],
});

// The statement's balance and overdue on screen at 375 px.
registry.category("web_tour.tours").add("b2b_customer_portal_statement_phone", {
    url: "/my/statement",
    steps: () => [
        {
            content: "balance and overdue on screen, no sideways scroll",
            trigger: ".o_b2b_statement_key_balance:visible",
            run() {
                checkOnScreen([".o_b2b_statement_key_balance", ".o_b2b_statement_key_overdue"]);
            },
        },
    ],
});
