import { registry } from "@web/core/registry";

// Data from tests/test_portal_quick_order.py: the buyer orders for the sites QO-LYON (default)
// and QO-GRE; products QO-A4 (10.00) and QO-TON (45.00).
registry.category("web_tour.tours").add("b2b_customer_portal_quick_order", {
    url: "/my/quick-order",
    steps: () => [
        {
            content: "paste the rows",
            trigger: "textarea[name=rows]",
            // two rows: the "edit" action takes one line only
            run(helpers) {
                helpers.edit("QO-A4;3;QO-LYON\nQO-TON;1;QO-GRE");
            },
        },
        {
            content: "preview them",
            trigger: "button.o_b2b_quick_order_preview_btn",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the preview lists the products, priced by the server",
            trigger: ".o_b2b_quick_order_preview td:contains(Toner QO)",
        },
        {
            content: "the total is the server's",
            trigger: ".o_b2b_quick_order_untaxed:contains(75.00)",
        },
        {
            content: "the page fits the screen's width (a phone's too): no horizontal scrolling",
            trigger: ".o_b2b_quick_order_preview",
            run() {
                const overflow = document.documentElement.scrollWidth - window.innerWidth;
                if (overflow > 1) {
                    throw new Error(`the page is ${overflow}px wider than the screen`);
                }
            },
        },
        {
            content: "create the quotation",
            trigger: "button.o_b2b_quick_order_create_btn",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the new quotation's page opens",
            trigger: ".o_portal_sale_sidebar",
        },
    ],
});
