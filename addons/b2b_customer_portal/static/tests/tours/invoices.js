import { registry } from "@web/core/registry";

// Data from tests/test_portal_invoices.py (TestPortalInvoicesTour): the payer's accountant
// sees its open invoice PO-OPEN-pinvtour, its overdue one, its paid one and its
// subsidiary's PO-SUB-pinvtour that it pays.
registry.category("web_tour.tours").add("b2b_customer_portal_invoices", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "the subsidiary's invoice the payer pays is listed",
            trigger: "tr:has(td.o_b2b_po_ref:contains(PO-SUB-pinvtour)) td.o_b2b_billed:contains(Filiale pinvtour)",
        },
        {
            content: "nothing selected: download disabled",
            trigger: "button.o_b2b_invoice_download:disabled",
        },
        {
            content: "open the status filter",
            trigger: "#o_b2b_invoice_filter_status",
            run: "click",
        },
        {
            content: "filter the open invoices",
            trigger: ".o_b2b_invoice_filter[data-filter='status'] a.dropdown-item[data-value='open']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the paid invoice is gone",
            trigger: "#o_b2b_invoice_filter_status:contains(Open)",
        },
        {
            content: "open the group-by menu",
            trigger: "#portal_searchbar_groupby",
            run: "click",
        },
        {
            content: "group by billed party",
            trigger: "[aria-labelledby='portal_searchbar_groupby'] a.dropdown-item:contains(Billed Party)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "a group per billed party",
            trigger: "tr.o_b2b_invoice_group:contains(Filiale pinvtour)",
        },
        {
            content: "select all open invoices",
            trigger: "button.o_b2b_select_open",
            run: "click",
        },
        {
            content: "the three open invoices are ticked, the download enabled",
            trigger: "button.o_b2b_invoice_download:enabled",
            run() {
                const ticked = document.querySelectorAll("input[name='invoice_ids']:checked").length;
                if (ticked !== 3) {
                    throw new Error(`${ticked} invoices ticked instead of 3`);
                }
            },
        },
    ],
});

registry.category("web_tour.tours").add("b2b_customer_portal_invoices_phone", {
    url: "/my/invoices",
    steps: () => [
        { content: "unfold the filters", trigger: ".o_portal_navbar .navbar-toggler", run: "click" },
        { content: "open the status filter", trigger: "#o_b2b_invoice_filter_status", run: "click" },
        {
            content: "filter the overdue invoices",
            trigger: ".o_b2b_invoice_filter[data-filter='status'] a.dropdown-item[data-value='overdue']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "one overdue invoice, ticked by select all open",
            trigger: "button.o_b2b_select_open",
            run: "click",
        },
        {
            content: "the download is enabled",
            trigger: "button.o_b2b_invoice_download:enabled",
        },
        {
            content: "the page itself does not scroll sideways",
            trigger: "table.o_portal_my_doc_table",
            run() {
                const ticked = document.querySelectorAll("input[name='invoice_ids']:checked").length;
                if (ticked !== 1) {
                    throw new Error(`${ticked} invoices ticked instead of 1`);
                }
                const page = document.documentElement;
                if (page.scrollWidth > window.innerWidth + 1) {
                    throw new Error(`page ${page.scrollWidth}px wide in a ${window.innerWidth}px window`);
                }
            },
        },
    ],
});
