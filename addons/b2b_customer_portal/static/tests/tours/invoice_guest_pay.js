import { registry } from "@web/core/registry";

// Data from tests/test_portal_invoice_guest_pay.py: a visitor, not logged in, opens the
// "Pay now" link of two invoices (100.00 and 200.00) and pays them with the demo provider
// (on a desktop and on a 375 px phone).
registry.category("web_tour.tours").add("b2b_customer_portal_invoice_guest_pay", {
    steps: () => [
        {
            content: "the two invoices of the link are listed, with their total",
            trigger: ".o_b2b_guest_pay_invoices tbody tr:count(2)",
        },
        {
            content: "the total to pay",
            trigger: ".o_b2b_guest_pay_total:contains(300.00)",
        },
        {
            content: "the page does not scroll sideways (a phone too)",
            trigger: ".o_b2b_guest_pay_invoices",
            run() {
                const page = document.documentElement;
                if (page.scrollWidth > window.innerWidth + 1) {
                    throw new Error(`page ${page.scrollWidth}px wide in a ${window.innerWidth}px window`);
                }
            },
        },
        {
            content: "no saved payment method is offered",
            trigger: "#o_payment_form:not(:has(#o_payment_tokens_heading))",
        },
        {
            content: "choose the demo payment method",
            trigger: "#o_payment_form input[name='o_payment_radio']",
            run: "click",
        },
        {
            content: "enter the card",
            trigger: "#o_payment_form input[name='customer_input']:not(:disabled)",
            run: "edit 4242424242424242",
        },
        {
            content: "pay",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the confirmation lists what was paid",
            trigger: ".o_b2b_invoice_pay_done h3:contains(Thank you for your payment)",
        },
    ],
});
