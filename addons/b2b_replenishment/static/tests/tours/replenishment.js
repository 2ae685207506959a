import { registry } from "@web/core/registry";

// Data from tests/test_portal_replenishment.py (TestPortalReplenishmentTour): the buyer of the
// Lyon site has two proposals waiting, B2B-TOUR-REPL (paper, 10 proposed, at most 30) and
// B2B-TOUR-SKIP (toner). Run on a desktop and on a 375 px phone.
const REPL = ".b2b_proposal[data-order-name='B2B-TOUR-REPL']";
const SKIP = ".b2b_proposal[data-order-name='B2B-TOUR-SKIP']";

registry.category("web_tour.tours").add("b2b_replenishment_portal", {
    url: "/my/replenishment",
    steps: () => [
        {
            content: "the page itself does not scroll sideways",
            trigger: `${REPL} input.b2b_proposal_qty`,
            run() {
                const page = document.documentElement;
                if (page.scrollWidth > window.innerWidth + 1) {
                    throw new Error(`page ${page.scrollWidth}px wide in a ${window.innerWidth}px window`);
                }
            },
        },
        {
            content: "ask for more than the maximum",
            trigger: `${REPL} input.b2b_proposal_qty`,
            run: "edit 31",
        },
        {
            content: "validate",
            trigger: `${REPL} button.b2b_validate`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "refused, with the maximum, nothing changed",
            trigger: "#b2b_replenishment_error:contains(between 0 and 30):contains(Nothing was changed)",
        },
        {
            content: "change the quantity to 15",
            trigger: `${REPL} input.b2b_proposal_qty`,
            run: "edit 15",
        },
        {
            content: "validate",
            trigger: `${REPL} button.b2b_validate`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the order is confirmed and left the proposals",
            trigger: `body:not(:has(${REPL})) #b2b_replenishment_done:contains(confirmed)`,
        },
        {
            content: "skip the toner this time",
            trigger: `${SKIP} button.b2b_skip`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the page says it is skipped; nothing waits any more",
            trigger: "#b2b_replenishment_done:contains(skipped)",
        },
        {
            content: "no proposal left",
            trigger: "#b2b_no_proposal",
        },
    ],
});
