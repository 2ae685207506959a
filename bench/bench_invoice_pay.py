"""Paying N invoices in one payment (issue 15): the portal's per-invoice allocation
(payment.transaction._create_payment of a transaction linked to the N invoices, with the
allocation read again under lock) vs stock Odoo's register-payment wizard grouping the same
kind of N invoices into one payment. Both book one payment reconciled with every invoice.

Also the whole post-processing of the transaction as the customer's confirmation runs it
(`_post_process` in sudo as the paying portal user, after the provider's notification): the
booking, Odoo's notes of the transaction on the invoices and the remittance email (queued).
The wizard's figures are its creation and `_create_payments` (booking only: no note on the
invoices, no email). A warm-up round of each (5 invoices) is not reported.

Run with `make bench` (inside `odoo shell`, `env` is given). Everything is rolled back.
"""

from benchlib import measure

from odoo import Command, fields

SIZES = (5, 20, 200)  # the first one warms the caches up and is not reported


def main(env):
    customer = env["res.partner"].create(
        {
            "name": "Bench Pay Customer",
            "is_company": True,
            "street": "1 rue de la Paix",
            "zip": "75002",
            "city": "Paris",
            "country_id": env.ref("base.fr").id,
        }
    )
    product = env["product.product"].create({"name": "Bench pay item", "list_price": 100.0})
    provider = env.ref("payment.payment_provider_demo")
    provider.write({"state": "test", "company_id": env.company.id})
    method = env.ref("payment_demo.payment_method_demo")
    method.active = True
    accountant = env["res.users"].create(
        {
            "name": "Bench Pay Accountant",
            "login": "bench_pay_accountant",
            "email": "bench.pay.accountant@example.com",
            "parent_id": customer.id,
            "group_ids": [Command.set([env.ref("base.group_portal").id])],
        }
    )

    def invoices(count):
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": fields.Date.today(),
                    "invoice_date_due": fields.Date.add(fields.Date.today(), days=30 + index % 7),
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": product.id, "quantity": 1, "price_unit": 100.0 + index, "tax_ids": []}
                        )
                    ],
                }
                for index in range(count)
            ]
        )
        moves.action_post()
        return moves

    def transaction(moves, reference, user):
        _payer, currency, _allocation, total = moves._b2b_prepare_payment()
        # made by the paying user, as the pay route does (in sudo, as that user)
        tx = (
            env["payment.transaction"]
            .with_user(user)
            .sudo()
            .create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": method.id,
                    "reference": reference,
                    "amount": total,
                    "currency_id": currency.id,
                    "partner_id": customer.id,
                    "operation": "online_direct",
                    "invoice_ids": [Command.set(moves.ids)],
                }
            )
        )
        tx._set_done()  # the provider's notification
        return tx

    results = {}
    for size in SIZES:
        ours, ours_whole, stock = invoices(size), invoices(size), invoices(size)
        booked = transaction(ours, f"BENCH-PAY-{size}", env.user)
        confirmed = transaction(ours_whole, f"BENCH-PAY-WHOLE-{size}", accountant)
        env.cr.execute("ANALYZE account_move_line; ANALYZE account_move")
        payment, our_queries, our_time, _peak = measure(env, booked._create_payment)
        assert all(move.payment_state in ("paid", "in_payment") for move in ours), "every invoice settled"
        assert len(payment) == 1
        _result, whole_queries, whole_time, _peak = measure(env, confirmed.with_user(accountant).sudo()._post_process)
        assert all(move.payment_state in ("paid", "in_payment") for move in ours_whole)
        assert env["mail.mail"].search_count([("subject", "ilike", f"BENCH-PAY-WHOLE-{size}")]) == 1, "remittance"

        def register(stock=stock):
            wizard = (
                env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=stock.ids)
                .create({"group_payment": True, "journal_id": provider.journal_id.id})
            )
            return wizard._create_payments()

        stock_payment, stock_queries, stock_time, _peak = measure(env, register)
        assert len(stock_payment) == 1
        assert all(move.payment_state in ("paid", "in_payment") for move in stock)
        results[size] = (stock_queries, our_queries, whole_queries, stock_time, our_time, whole_time)
    print(
        "invoices | queries: stock register | portal booking | portal post-processing "
        "| ms: stock | portal booking (ratio) | portal post-processing (ratio)"
    )
    for size, (stock_queries, our_queries, whole_queries, stock_time, our_time, whole_time) in results.items():
        if size == SIZES[0]:
            continue
        print(
            f"{size:8d} | {stock_queries:5d} | {our_queries:5d} | {whole_queries:5d} | {stock_time * 1000:6.0f} | "
            f"{our_time * 1000:6.0f} ({our_time / stock_time:.2f}) | "
            f"{whole_time * 1000:6.0f} ({whole_time / stock_time:.2f})"
        )
    env.cr.rollback()


main(env)  # noqa: F821 - provided by odoo shell
