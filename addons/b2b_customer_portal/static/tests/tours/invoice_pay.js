import { registry } from "@web/core/registry";

// Data from tests/test_portal_invoice_pay.py (TestPortalInvoicePayTour): the payer's accountant
// has two open invoices, 1,000.00 and 500.00, and pays both at once with the demo provider.
registry.category("web_tour.tours").add("b2b_customer_portal_invoice_pay", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "select every open invoice",
            trigger: "button.o_b2b_select_open",
            run: "click",
        },
        {
            content: "pay the selection",
            trigger: "button.o_b2b_invoice_pay",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "both invoices, one amount computed by the server",
            trigger: ".o_b2b_invoice_pay_table .o_b2b_pay_total:contains(1,500.00)",
        },
        {
            content: "choose the demo provider",
            trigger: "input[name='o_payment_radio'][data-provider-code='demo']",
            run: "click",
        },
        {
            content: "card number of the demo provider",
            trigger: "#customer_input",
            run: "edit 4242",
        },
        {
            content: "pay",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the confirmation lists what each invoice received",
            trigger: ".o_b2b_invoice_pay_done h3:contains(Thank you for your payment)",
            timeout: 20000,
        },
        {
            content: "the total paid",
            trigger: ".o_b2b_invoice_pay_done tfoot:contains(1,500.00)",
        },
    ],
});
