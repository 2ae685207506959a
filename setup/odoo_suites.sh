#!/usr/bin/env bash
# Odoo's own test suites of the modules the six addons extend, run on a database where
# the six addons are installed: a change to a standard flow that breaks them is ours.
#   odoo_suites.sh DB   (called by setup/test.sh; B2B_ODOO_SUITES=0 skips it)
# With --test-tags and no -i/-u, Odoo 19 runs the post-install tests of the installed
# modules matching the tags. Tests that fail the same way without our addons are
# excluded below, each with its reason (README.md, "Odoo's own tests").
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/env.sh"
db=${1:?usage: odoo_suites.sh DB}

SUITES=(
    /sale /sale_management /sale_stock /account_payment /portal /sale_edi_ubl
    account:TestUi account:TestAccountMoveOutInvoiceOnchanges account:TestAccountPaymentRegister
    account:TestAccountMoveSend base:TestPartnerForm base:TestFormCreate product:TestPricelist
)
# Excluded, each failing the same way on a database without the six addons:
EXCLUDED=(
    # at_install tests run while the registry is loaded module by module: on a database
    # where later modules add NOT NULL columns (account's res_partner.autopost_bills,
    # sale_stock's sale_order.picking_policy) their inserts fail. They pass when run at
    # their module's install (-i), which this run does not do.
    -at_install
    # down payments: the tests' own company gets the account "Customers - Payments on
    # account received on orders" of the French chart of the database's main company:
    # "company inconsistencies" (same error on a stock database with l10n_fr_account)
    -sale:TestAccruedSaleOrders.test_product_name_in_accrued_revenue_entry
    -sale:TestSaleOrderCreditLimit.test_warning_on_invoice_with_downpayment
    -sale:TestSalePayment.test_downpayment_automatic_invoice
    -sale:TestSaleRefund.test_refund_invoice_with_downpayment
    -sale:TestSaleToInvoice.test_downpayment
    -sale:TestSaleToInvoice.test_downpayment_invoice_and_partial_credit_note
    -sale:TestSaleToInvoice.test_downpayment_line_name
    -sale:TestSaleToInvoice.test_downpayment_line_remains_on_SO
    -sale:TestSaleToInvoice.test_downpayment_percentage_tax_icl
    -sale:TestSaleToInvoice.test_downpayment_storno
    -sale:TestSaleToInvoice.test_downpayment_validation
    -sale:TestSaleToInvoice.test_multi_company_invoice
    -sale_stock:TestSaleStock.test_01_sale_stock_order
    -sale_stock:TestSaleStock.test_incoterm_in_advance_payment
    # installment amounts a third of those expected (same on a stock database)
    -account:TestAccountPaymentRegister.test_installment_mode_single_batch
    -account:TestAccountPaymentRegister.test_keep_user_amount
    # Changed by design (issue 14, b2b_customer_portal scope rule): a portal user no longer
    # opens, logged in and without the token, a draft a salesperson is still preparing
    # (the test expects 200 for it); the token link still opens it (covered by
    # b2b_customer_portal tests/test_portal_scope.py test_salesperson_draft_by_access_token)
    -sale:TestAccessRightsControllers.test_access_controller
)
tags=$(IFS=,; echo "${SUITES[*]}${EXCLUDED[*]:+,${EXCLUDED[*]}}")

# Odoo's tests post invoices to partners without any address: with the French legal checks
# on (b2b_monthly_invoicing's default) posting them is refused by design (a mandatory
# mention). They run as in a company that has switched the checks off; our own tests
# cover the checks.
b2b_psql -d "$db" -c "UPDATE res_company SET b2b_french_legal_checks = FALSE" >/dev/null

log=$B2B_CACHE/odoo-suites.log
echo "running Odoo's own tests ($tags) on $db; log in $log"
set +e
b2b_odoo -c "$B2B_CONF" -d "$db" --test-tags "$tags" --stop-after-init \
    --http-port "$B2B_TEST_HTTP_PORT" --log-level=info --log-handler=odoo.tests.result:INFO > "$log" 2>&1
rc=$?
set -e
grep -E "(ERROR|FAIL):" "$log" | grep -vE "^\s*$" | head -40 || true
summary=$(grep -oE "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$log" | tail -1)
[ -n "$summary" ] || { tail -30 "$log"; echo "Odoo's own tests: no summary line (rc $rc)"; exit 1; }
read -r failed errors total < <(echo "$summary" | sed -E 's/([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests/\1 \2 \3/')
echo "odoo: $((total - failed - errors)) passed, $((failed + errors)) failed"
[ "$rc" = 0 ] && [ $((failed + errors)) = 0 ]
