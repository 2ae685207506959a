import { registry } from "@web/core/registry";

// Data from tests/test_portal_replenishment.py (TestPortalReplenishmentTour): the buyer of the
// Lyon site has two proposals waiting, B2B-TOUR-REPL (paper, 10 proposed, at most 30) and
// B2B-TOUR-SKIP (toner): she validates the first at 15 (after a refused 31), skips the
// second, declares an on-hand count of paper, pauses and resumes the toner's rule. Run on a
// desktop and on a 375 px phone.
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
        {
            content: "open the on-hand form of the paper's rule",
            trigger: "tr.b2b_rule[data-product='RAM-R'] button.b2b_count_toggle",
            run: "click",
        },
        {
            content: "count 4,5 reams",
            trigger: "tr.b2b_rule[data-product='RAM-R'] form.show input[name='quantity']",
            run: "edit 4,5",
        },
        {
            content: "declare it",
            trigger: "tr.b2b_rule[data-product='RAM-R'] form.show button.b2b_count",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the count is recorded and shown on the rule",
            trigger: "#b2b_replenishment_done:contains(recorded)",
        },
        {
            content: "with its quantity",
            trigger: "tr.b2b_rule[data-product='RAM-R'] .b2b_last_count:contains(4.5)",
        },
        {
            content: "open the pause form of the toner's rule",
            trigger: "tr.b2b_rule[data-product='TON-R'] button.b2b_pause_toggle",
            run: "click",
        },
        {
            content: "give a reason",
            trigger: "tr.b2b_rule[data-product='TON-R'] form.show input[name='reason']",
            run: "edit Inventaire annuel",
        },
        {
            content: "pause the rule",
            trigger: "tr.b2b_rule[data-product='TON-R'] form.show button.b2b_pause",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the rule is paused, with its reason",
            trigger: "tr.b2b_rule[data-product='TON-R'][data-state='paused']:contains(Inventaire annuel)",
        },
        {
            content: "resume it",
            trigger: "tr.b2b_rule[data-product='TON-R'] button.b2b_resume",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the rule is active again",
            trigger: "tr.b2b_rule[data-product='TON-R'][data-state='active']",
        },
        {
            content: "the page still does not scroll sideways",
            trigger: "#b2b_replenishment_done:contains(active again)",
            run() {
                const page = document.documentElement;
                if (page.scrollWidth > window.innerWidth + 1) {
                    throw new Error(`page ${page.scrollWidth}px wide in a ${window.innerWidth}px window`);
                }
            },
        },
    ],
});
