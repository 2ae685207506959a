import { registry } from "@web/core/registry";

// Data from tests/test_portal_approvals.py: the buyer's quotation B2B-TOUR-APPROVAL is over
// the customer's approval limit.
registry.category("web_tour.tours").add("b2b_customer_portal_approve", {
    url: "/my/approvals",
    steps: () => [
        {
            content: "the quotation waits in the approver's list",
            trigger: "tr[data-order-name='B2B-TOUR-APPROVAL'] a:contains(B2B-TOUR-APPROVAL)",
        },
        {
            content: "approve it",
            trigger: "tr[data-order-name='B2B-TOUR-APPROVAL'] button.b2b_approve",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the page says it is approved and the buyer told",
            trigger: "#b2b_approval_done:contains(B2B-TOUR-APPROVAL)",
        },
        {
            content: "it left the list",
            trigger: "body:not(:has(tr[data-order-name='B2B-TOUR-APPROVAL']))",
        },
    ],
});

registry.category("web_tour.tours").add("b2b_customer_portal_buyer_sees_approval", {
    steps: () => [
        {
            content: "the buyer reads who approved the quotation",
            trigger: "#b2b_order_approved:contains(Approved by)",
        },
        {
            content: "nothing says it still waits",
            trigger: "body:not(:has(#b2b_order_blocked))",
        },
    ],
});
