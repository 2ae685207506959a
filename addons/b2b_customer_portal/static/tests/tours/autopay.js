import { registry } from "@web/core/registry";

// Data from tests/test_autopay.py: the payer's accountant saves a card with Odoo's payment
// form (demo provider, validation mode), comes back to /my/autopay and turns automatic payment
// on, 5 days before the due date with a monthly cap (on a desktop and on a phone).
registry.category("web_tour.tours").add("b2b_customer_portal_autopay", {
    steps: () => [
        {
            content: "no payment method saved yet",
            trigger: ".card-body .alert-info",
        },
        {
            content: "choose the demo card form",
            trigger: "input[name='o_payment_radio']",
            run: "click",
        },
        {
            content: "card details",
            trigger: "#customer_input",
            run: "edit 4242424242424242",
        },
        {
            content: "save the card with the provider",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "back on the page, the card can be chosen",
            trigger: ".o_b2b_autopay_form select[name='token_id']:has(option)",
        },
        {
            content: "charge some days before the due date",
            trigger: "#b2b_autopay_trigger_before_due",
            run: "click",
        },
        {
            content: "5 days",
            trigger: "#b2b_autopay_days",
            run: "edit 5",
        },
        {
            content: "at most 20,000 a month",
            trigger: "#b2b_autopay_cap_month",
            run: "edit 20000",
        },
        {
            content: "accept the terms",
            trigger: "#b2b_autopay_accept",
            run: "click",
        },
        {
            content: "turn it on",
            trigger: "button.o_b2b_autopay_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "it is on",
            trigger: ".o_b2b_autopay_message.alert-success",
        },
        {
            content: "the state reads on",
            trigger: ".o_b2b_autopay_state.text-bg-success",
        },
        {
            content: "the page itself does not scroll sideways",
            trigger: ".o_b2b_autopay_form",
            run() {
                const page = document.documentElement;
                if (page.scrollWidth > window.innerWidth + 1) {
                    throw new Error(`page ${page.scrollWidth}px wide in a ${window.innerWidth}px window`);
                }
            },
        },
    ],
});
