import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";

/**
 * /my/invoices: the selection's checkboxes enable the download button; "Select all open"
 * ticks the invoices still to be paid on the page.
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

    selectOpen() {
        for (const checkbox of this.checkboxes) {
            checkbox.checked = Boolean(checkbox.dataset.open);
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
