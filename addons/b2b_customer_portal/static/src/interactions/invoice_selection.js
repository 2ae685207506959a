import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";

/**
 * /my/invoices: the selection's checkboxes enable the download button; "Select all open"
 * (one per currency) ticks the page's invoices of its currency with something left to pay.
 */
export class B2bInvoiceSelection extends Interaction {
    static selector = ".o_portal_wrap:has(#o_b2b_invoice_download_form)";
    dynamicContent = {
        ".o_b2b_select_open": { "t-on-click": this.selectOpen },
        "input[name='invoice_ids']": { "t-on-change": this.updateButton },
    };

    setup() {
        this.updateButton();
    }

    get checkboxes() {
        return [...this.el.querySelectorAll("input[name='invoice_ids']")];
    }

    selectOpen(ev) {
        const currency = ev.currentTarget.dataset.currency;
        for (const checkbox of this.checkboxes) {
            checkbox.checked = Boolean(checkbox.dataset.open) && checkbox.dataset.currency === currency;
        }
        this.updateButton();
    }

    updateButton() {
        const button = this.el.querySelector(".o_b2b_invoice_download");
        if (button) {
            button.disabled = !this.checkboxes.some((checkbox) => checkbox.checked);
        }
    }
}

registry.category("public.interactions").add("b2b_customer_portal.invoice_selection", B2bInvoiceSelection);
