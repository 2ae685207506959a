import { registry } from "@web/core/registry";

// Data from tests/test_portal_invoice_dispute.py: the accountant of the billed customer
// disputes 120.00 of a 1,000.00 invoice for a wrong quantity (on a desktop and on a phone).
registry.category("web_tour.tours").add("b2b_customer_portal_dispute", {
    steps: () => [
        {
            content: "open the dispute form",
            trigger: "button.o_b2b_dispute_toggle",
            run: "click",
        },
        {
            content: "dispute part of the invoice",
            trigger: "#b2b_dispute_form.show #b2b_dispute_scope_part",
            run: "click",
        },
        {
            content: "the disputed amount",
            trigger: "#b2b_dispute_amount",
            run: "edit 120",
        },
        {
            content: "the reason",
            trigger: "#b2b_dispute_reason",
            run: "select quantity",
        },
        {
            content: "the message",
            trigger: "#b2b_dispute_message",
            run: "edit 12 cartons livrés au lieu de 15",
        },
        {
            content: "send it",
            trigger: "button.o_b2b_dispute_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the page says it was sent and shows it open",
            trigger: "#b2b_disputes .alert-success",
        },
        {
            content: "the invoice reads disputed",
            trigger: ".o_b2b_disputed_badge",
        },
        {
            content: "the dispute is listed as open",
            trigger: ".o_b2b_disputes_table .o_b2b_dispute_state.text-bg-info",
        },
        {
            content: "the page fits the screen's width (a phone's too): no horizontal scrolling",
            trigger: "#b2b_disputes",
            run() {
                const overflow = document.documentElement.scrollWidth - window.innerWidth;
                if (overflow > 1) {
                    throw new Error(`the page is ${overflow}px wider than the screen`);
                }
            },
        },
    ],
});
