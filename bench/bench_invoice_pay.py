"""Paying N invoices in one payment (issue 15): the portal's per-invoice allocation
(payment.transaction._create_payment of a transaction linked to the N invoices, with the
allocation read again under lock) vs stock Odoo's register-payment wizard grouping the same
kind of N invoices into one payment. Both book one payment reconciled with every invoice.

Run with `make bench` (inside `odoo shell`, `env` is given). Everything is rolled back.
"""

from benchlib import measure

from odoo import Command, fields

SIZES = (20, 200)


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

    results = {}
    for size in SIZES:
        ours, stock = invoices(size), invoices(size)
        _payer, currency, _allocation, total = ours._b2b_prepare_payment()
        transaction = env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "reference": f"BENCH-PAY-{size}",
                "amount": total,
                "currency_id": currency.id,
                "partner_id": customer.id,
                "operation": "online_direct",
                "invoice_ids": [Command.set(ours.ids)],
            }
        )
        transaction._set_done()
        env.cr.execute("ANALYZE account_move_line; ANALYZE account_move")
        payment, our_queries, our_time, _peak = measure(env, transaction._create_payment)
        assert all(move.payment_state in ("paid", "in_payment") for move in ours), "every invoice settled"
        assert len(payment) == 1

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
        results[size] = (stock_queries, our_queries, stock_time, our_time)
    print("invoices | queries stock register | queries portal allocation | ms stock | ms portal | ratio")
    for size, (stock_queries, our_queries, stock_time, our_time) in results.items():
        print(
            f"{size:8d} | {stock_queries:22d} | {our_queries:25d} | {stock_time * 1000:8.0f} | "
            f"{our_time * 1000:9.0f} | {our_time / stock_time:.2f}"
        )
    env.cr.rollback()


main(env)  # noqa: F821 - provided by odoo shell
