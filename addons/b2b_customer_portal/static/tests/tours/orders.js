import { registry } from "@web/core/registry";

// Data from tests/test_portal_orders.py (TestPortalOrdersTour): the buyer, limited to the
// Lyon site, has orders B2B-TOUR-LYON (Lyon) and B2B-TOUR-BOTH (Lyon and Grenoble) of her
// site, and B2B-TOUR-GRE goes to Grenoble only.
function filterBySiteAndGroupByStatus(phone) {
    // on a phone the search bar folds into its menu button, folded again on each page
    const unfold = phone
        ? [{ content: "unfold the filters", trigger: ".o_portal_navbar .navbar-toggler", run: "click" }]
        : [];
    return [
        ...unfold,
        {
            content: "open the site filter",
            trigger: "#o_b2b_filter_site",
            run: "click",
        },
        {
            content: "only her site is offered",
            trigger: ".o_b2b_order_filter[data-filter='site'] .dropdown-menu:not(:has(a:contains(Site Grenoble)))",
        },
        {
            content: "filter on the Lyon site",
            trigger: ".o_b2b_order_filter[data-filter='site'] a.dropdown-item:contains(Site Lyon)",
            run: "click",
            expectUnloadPage: true,
        },
        ...unfold,
        {
            content: "the filter shows the site",
            trigger: "#o_b2b_filter_site:contains(Site Lyon)",
        },
        {
            content: "open the group-by menu",
            trigger: "#portal_searchbar_groupby",
            run: "click",
        },
        {
            content: "group by status",
            trigger: "[aria-labelledby='portal_searchbar_groupby'] a.dropdown-item:contains(Status)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "a group per status, with its count",
            trigger: "tr.o_b2b_order_group:contains(Confirmed)",
        },
        {
            content: "the order of her site is listed with its columns",
            trigger:
                "tr:has(td.o_b2b_po_ref:contains(B2B-TOUR-LYON)):has(td.o_b2b_sites:contains(Site Lyon)):has(td.o_b2b_status .o_b2b_portal_status):has(td.o_b2b_status .o_b2b_delivery_progress .progress)",
        },
        {
            content: "the order to both sites too",
            trigger: "tr:has(td.o_b2b_po_ref:contains(B2B-TOUR-BOTH)) td.o_b2b_status",
        },
        {
            content: "not the order to Grenoble only",
            trigger: "body:not(:has(td:contains(B2B-TOUR-GRE)))",
        },
        {
            content: "the table scrolls inside its own box",
            trigger: ".table-responsive table.o_portal_my_doc_table",
        },
    ];
}

registry.category("web_tour.tours").add("b2b_customer_portal_orders", {
    url: "/my/orders",
    steps: () => filterBySiteAndGroupByStatus(false),
});

registry.category("web_tour.tours").add("b2b_customer_portal_orders_phone", {
    url: "/my/orders",
    steps: () => [
        ...filterBySiteAndGroupByStatus(true),
        {
            content: "the page itself does not scroll sideways",
            trigger: "table.o_portal_my_doc_table",
            run() {
                const page = document.documentElement;
                if (page.scrollWidth > window.innerWidth + 1) {
                    throw new Error(`page ${page.scrollWidth}px wide in a ${window.innerWidth}px window`);
                }
            },
        },
    ],
});
