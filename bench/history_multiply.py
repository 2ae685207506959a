"""A company's history at the issue's scale in minutes: a seed history built through the ORM
(tests/install_existing/history.py: confirmed orders, done pickings and stock moves, posted
and hashed invoices with their journal items, registered and reconciled payments) is copied
``copies - 1`` times in SQL, each copy for a block of customers of its own.

Every row the seed created (id above the standard database's last one) in the tables of
HISTORY_TABLES is inserted again with a new id (old id + k * the seed's id span), its foreign
keys to those tables remapped the same way (the rows of other tables, products, taxes,
accounts, journals, are shared), and the relation tables of those rows copied with them.
Names stay unique and in sequence: order, delivery, invoice and payment numbers are
shifted by k times the seed's last number of their prefix (and the sequences that issue
them advanced past the copies), customer names by k times the seed's number of customers.
Copies carry no access token and no inalterability hash (Odoo hashes them, in sequence
order, the next time it secures the journal) and share no attachment. Stock quantities
are scaled so that the warehouse still holds what the copies did not deliver.

Run by bench/bench_install.py on a copy of the seed database (plain psycopg2, Odoo not
running); foreign keys of the copied tables are dropped during the inserts and re-created
(so validated) afterwards."""

import time

HISTORY_TABLES = (
    "res_partner",
    "sale_order",
    "sale_order_line",
    "stock_reference",
    "stock_picking",
    "stock_move",
    "stock_move_line",
    "account_move",
    "account_move_line",
    "account_payment",
    "account_partial_reconcile",
    "account_full_reconcile",
)
# the columns whose values are document numbers (prefix + number), per table
NUMBERED = {
    "sale_order": "name",
    "stock_picking": "name",
    "account_move": "name",
    "account_payment": "name",
}
CUSTOMER_NAME = "History Customer "
RENUMBER = """
CREATE FUNCTION pg_temp.b2b_renumber(value text, k int) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT COALESCE(
        (SELECT m.prefix || lpad((substring(value from '(\\d+)$')::bigint + k * m.last)::text, m.width, '0')
           FROM b2b_numbers m
          WHERE m.prefix = substring(value from '^(.*\\D)\\d+$')),
        value)
$$
"""


def _columns(cr, table):
    cr.execute(
        """SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position""",
        [table],
    )
    return cr.fetchall()


def _foreign_keys(cr, tables):
    """{(table, column): referenced table} and the constraints' definitions, for the
    single-column foreign keys declared on ``tables``."""
    cr.execute(
        """SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, c.conname,
                  pg_get_constraintdef(c.oid)
             FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1
              AND c.conrelid::regclass::text = ANY(%s)""",
        [list(tables)],
    )
    rows = cr.fetchall()
    return {(t, col): ref for t, col, ref, _n, _d in rows}, [(t, n, d) for t, _c, _r, n, d in rows]


def _relation_tables(cr):
    """Tables without an id (many2many relations) with a foreign key to a history table,
    except those of wizards (transient models)."""
    cr.execute(
        """SELECT DISTINCT c.conrelid::regclass::text
             FROM pg_constraint c
            WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                               WHERE a.attrelid = c.conrelid AND a.attname = 'id' AND NOT a.attisdropped)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint w JOIN ir_model m ON m.transient
                                 AND replace(m.model, '.', '_') = w.confrelid::regclass::text
                               WHERE w.contype = 'f' AND w.conrelid = c.conrelid)""",
        [list(HISTORY_TABLES)],
    )
    return sorted(name for (name,) in cr.fetchall())


def _max_ids(cr, tables):
    result = {}
    for table in tables:
        cr.execute(f"SELECT COALESCE(max(id), 0) FROM {table}")
        result[table] = cr.fetchone()[0]
    return result


def _number_families(cr):
    """b2b_numbers(prefix, last, width): the last number of each document prefix."""
    cr.execute("CREATE TEMP TABLE b2b_numbers (prefix text PRIMARY KEY, last bigint, width int)")
    selects = " UNION ALL ".join(f"SELECT {column}::text AS value FROM {table}" for table, column in NUMBERED.items())
    cr.execute(
        f"""INSERT INTO b2b_numbers
            SELECT substring(value from '^(.*\\D)\\d+$'), max(substring(value from '(\\d+)$')::bigint),
                   max(length(substring(value from '(\\d+)$')))
              FROM ({selects}) names
             WHERE value ~ '\\D\\d+$'
          GROUP BY 1"""
    )
    cr.execute(RENUMBER)


def _has_value(cr, table, column, lo, hi, condition):
    cr.execute(f"SELECT 1 FROM {table} WHERE id BETWEEN %s AND %s AND {condition} LIMIT 1", [lo, hi])
    return bool(cr.fetchone())


def _expression(cr, table, column, data_type, lo, hi, fks, ranges, seed_customers):
    """The value of ``column`` in copy k of a row of ``table`` (aliased src)."""
    src = f"src.{column}"
    ref = fks.get((table, column))
    if column == "id":
        low, high = ranges[table]
        return f"src.id + k * {high - low + 1}"
    if ref == "ir_attachment" or column in ("access_token", "inalterable_hash", "secure_sequence_number"):
        return "NULL"
    if ref in ranges:
        low, high = ranges[ref]
        return f"CASE WHEN {src} BETWEEN {low} AND {high} THEN {src} + k * {high - low + 1} ELSE {src} END"
    if table == "account_move" and column == "sequence_number":
        return f"{src} + k * COALESCE((SELECT last FROM b2b_numbers WHERE prefix = src.sequence_prefix), 0)"
    if table == "account_move_line" and column == "matching_number":
        partial, full = ranges["account_partial_reconcile"], ranges["account_full_reconcile"]
        return (
            f"CASE WHEN {src} ~ '^P\\d+$' THEN 'P' || (substr({src}, 2)::int + k * {partial[1] - partial[0] + 1})"
            f" WHEN {src} ~ '^\\d+$' THEN ({src}::int + k * {full[1] - full[0] + 1})::text ELSE {src} END"
        )
    if data_type not in ("character varying", "text"):
        return src
    value = src
    if table == "res_partner" and column == "email":
        low, high = ranges["res_partner"]
        value = (
            f"CASE WHEN {src} ~ 'buyer\\d+@' THEN regexp_replace({src}, 'buyer\\d+@', 'buyer' || "
            f"(substring({src} from 'buyer(\\d+)@')::int + k * {high - low + 1}) || '@') ELSE {src} END"
        )
    if _has_value(cr, table, column, lo, hi, f"{column} LIKE '%%{CUSTOMER_NAME}%%'"):
        value = (
            f"CASE WHEN {src} ~ '{CUSTOMER_NAME}\\d+' THEN regexp_replace({src}, '{CUSTOMER_NAME}\\d+', "
            f"'{CUSTOMER_NAME}' || lpad((substring({src} from '{CUSTOMER_NAME}(\\d+)')::int + k * {seed_customers})"
            f"::text, 4, '0')) ELSE {src} END"
        )
    if _has_value(
        cr, table, column, lo, hi, f"substring({column} from '^(.*\\D)\\d+$') IN (SELECT prefix FROM b2b_numbers)"
    ):
        value = f"pg_temp.b2b_renumber({value}, k)"
    return value


def _advance_sequences(cr, copies):
    """Sequences issuing order, delivery and payment numbers start after the copies'."""
    cr.execute("SELECT id, prefix, implementation, use_date_range FROM ir_sequence WHERE prefix IS NOT NULL")
    for seq_id, prefix, implementation, use_date_range in cr.fetchall():
        ranges = [(None, None)]
        if use_date_range:
            cr.execute("SELECT id, date_from FROM ir_sequence_date_range WHERE sequence_id = %s", [seq_id])
            ranges = cr.fetchall()
        for range_id, date_from in ranges:
            year = date_from.year if date_from else time.gmtime().tm_year
            literal = prefix.replace("%(range_year)s", str(year)).replace("%(year)s", str(year))
            cr.execute("SELECT last FROM b2b_numbers WHERE prefix = %s", [literal])
            row = cr.fetchone()
            if not row:
                continue
            last = row[0] * copies
            if implementation == "standard":
                name = f"ir_sequence_{seq_id:03d}" + (f"_{range_id:03d}" if range_id else "")
                cr.execute("SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM " + name + ")))", [name, last])
            elif range_id:
                cr.execute(
                    "UPDATE ir_sequence_date_range SET number_next = GREATEST(number_next, %s) WHERE id = %s",
                    [last + 1, range_id],
                )
            else:
                cr.execute(
                    "UPDATE ir_sequence SET number_next = GREATEST(number_next, %s) WHERE id = %s", [last + 1, seq_id]
                )


def _scale_stock(cr, base_ids, copies, seed_stock, full_stock):
    """The warehouse received full_stock of each history product (seed_stock in the seed) and
    delivered what the copies delivered; customers hold copies times the seed's deliveries."""
    cr.execute(
        """UPDATE stock_quant q
              SET quantity = CASE WHEN loc.usage = 'internal'
                                  THEN %(full)s - %(copies)s * (%(seed)s - q.quantity)
                                  ELSE q.quantity * %(copies)s END,
                  reserved_quantity = q.reserved_quantity * %(copies)s
             FROM stock_location loc
            WHERE loc.id = q.location_id AND q.product_id > %(last_product)s""",
        {"full": full_stock, "copies": copies, "seed": seed_stock, "last_product": base_ids["product_product"]},
    )


def multiply(connection, base_ids, copies, seed_stock, full_stock, log=print):
    """Copy the seed history (rows above ``base_ids``, the standard database's last ids)
    ``copies - 1`` times in the database of ``connection`` (autocommit off: one transaction)."""
    cr = connection.cursor()
    cr.execute("SET LOCAL synchronous_commit = off")
    relations = _relation_tables(cr)
    fks, constraints = _foreign_keys(cr, HISTORY_TABLES + tuple(relations))
    top = _max_ids(cr, HISTORY_TABLES)
    ranges = {table: (base_ids[table] + 1, top[table]) for table in HISTORY_TABLES if top[table] > base_ids[table]}
    cr.execute(f"SELECT count(*) FROM res_partner WHERE is_company AND name ~ '^{CUSTOMER_NAME}\\d+$'")
    seed_customers = cr.fetchone()[0]
    _number_families(cr)
    for table, name, _definition in constraints:
        cr.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for table in HISTORY_TABLES:
        if table not in ranges:
            continue
        started = time.monotonic()
        lo, hi = ranges[table]
        columns = _columns(cr, table)
        values = [_expression(cr, table, c, t, lo, hi, fks, ranges, seed_customers) for c, t in columns]
        names = ", ".join(f'"{c}"' for c, _t in columns)
        cr.execute(
            f"""INSERT INTO {table} ({names})
                SELECT {", ".join(values)}
                  FROM {table} src CROSS JOIN generate_series(1, %s) k
                 WHERE src.id BETWEEN %s AND %s
              ORDER BY k, src.id""",
            [copies - 1, lo, hi],
        )
        log(f"{table}: {cr.rowcount} rows copied in {time.monotonic() - started:.1f} s")
        cr.execute(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
    for table in relations:
        columns = [c for c, _t in _columns(cr, table)]
        mapped = [c for c in columns if fks.get((table, c)) in ranges]
        if not mapped:
            continue
        values = []
        for column in columns:
            ref = fks.get((table, column))
            if ref in ranges:
                low, high = ranges[ref]
                shifted = f"{column} + k * {high - low + 1}"
                values.append(f"CASE WHEN {column} BETWEEN {low} AND {high} THEN {shifted} ELSE {column} END")
            else:
                values.append(column)
        seeded = " OR ".join(
            f"{c} BETWEEN {ranges[fks[(table, c)]][0]} AND {ranges[fks[(table, c)]][1]}" for c in mapped
        )
        cr.execute(
            f"""INSERT INTO {table} ({", ".join(columns)})
                SELECT {", ".join(values)} FROM {table} CROSS JOIN generate_series(1, %s) k WHERE {seeded}
                ON CONFLICT DO NOTHING""",
            [copies - 1],
        )
        if cr.rowcount:
            log(f"{table}: {cr.rowcount} rows copied")
    started = time.monotonic()
    for table, name, definition in constraints:
        cr.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    log(f"{len(constraints)} foreign keys re-created and checked in {time.monotonic() - started:.1f} s")
    _advance_sequences(cr, copies)
    _scale_stock(cr, base_ids, copies, seed_stock, full_stock)
    connection.commit()


COUNTS = {
    "customers": f"SELECT count(*) FROM res_partner WHERE is_company AND name ~ '^{CUSTOMER_NAME}\\d+$'",
    "delivery_sites": "SELECT count(*) FROM res_partner WHERE type = 'delivery'",
    "orders_confirmed": "SELECT count(*) FROM sale_order WHERE state = 'sale'",
    "quotations": "SELECT count(*) FROM sale_order WHERE state IN ('draft', 'sent')",
    "order_lines": """SELECT count(*) FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id
        WHERE o.state = 'sale'""",
    "orders_fully_delivered": """SELECT count(*) FROM sale_order o WHERE o.state = 'sale'
        AND EXISTS (SELECT 1 FROM stock_picking p WHERE p.sale_id = o.id AND p.state = 'done')
        AND NOT EXISTS (SELECT 1 FROM stock_picking p WHERE p.sale_id = o.id AND p.state NOT IN ('done', 'cancel'))""",
    "orders_partly_delivered": """SELECT count(*) FROM sale_order o WHERE o.state = 'sale'
        AND EXISTS (SELECT 1 FROM stock_picking p WHERE p.sale_id = o.id AND p.state = 'done')
        AND EXISTS (SELECT 1 FROM stock_picking p WHERE p.sale_id = o.id AND p.state NOT IN ('done', 'cancel'))""",
    "orders_not_delivered": """SELECT count(*) FROM sale_order o WHERE o.state = 'sale'
        AND NOT EXISTS (SELECT 1 FROM stock_picking p WHERE p.sale_id = o.id AND p.state = 'done')""",
    "orders_invoiced": "SELECT count(*) FROM sale_order WHERE state = 'sale' AND invoice_status = 'invoiced'",
    "orders_to_invoice": "SELECT count(*) FROM sale_order WHERE state = 'sale' AND invoice_status = 'to invoice'",
    "stock_moves_done": "SELECT count(*) FROM stock_move WHERE state = 'done' AND sale_line_id IS NOT NULL",
    "invoices_posted": "SELECT count(*) FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'",
    "invoices_draft": "SELECT count(*) FROM account_move WHERE move_type = 'out_invoice' AND state = 'draft'",
    "invoices_paid": """SELECT count(*) FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'
        AND payment_state IN ('paid', 'in_payment')""",
    "invoices_partly_paid": """SELECT count(*) FROM account_move WHERE move_type = 'out_invoice'
        AND payment_state = 'partial'""",
    "invoice_journal_items": """SELECT count(*) FROM account_move_line l JOIN account_move m ON m.id = l.move_id
        WHERE m.move_type = 'out_invoice'""",
    "payments": "SELECT count(*) FROM account_payment",
    "partial_reconciles": "SELECT count(*) FROM account_partial_reconcile",
    "customers_delivered_to_two_sites": """SELECT count(*) FROM (SELECT partner.commercial_partner_id
        FROM sale_order o JOIN res_partner partner ON partner.id = o.partner_id WHERE o.state = 'sale'
        GROUP BY 1 HAVING count(DISTINCT o.partner_shipping_id) > 1) c""",
    "orders_billed_to_another_company": """SELECT count(*) FROM sale_order o JOIN res_partner c ON c.id = o.partner_id
        JOIN res_partner b ON b.id = o.partner_invoice_id WHERE b.commercial_partner_id != c.commercial_partner_id""",
    "orders_in_usd": """SELECT count(*) FROM sale_order o JOIN res_currency cur ON cur.id = o.currency_id
        WHERE cur.name = 'USD'""",
    "orders_of_customers_with_fiscal_position": """SELECT count(*) FROM sale_order o
        JOIN res_partner p ON p.id = o.partner_id JOIN res_partner c ON c.id = p.commercial_partner_id
        WHERE c.property_account_position_id IS NOT NULL""",
    "unreconciled_receivable_of_paid": """SELECT count(*) FROM account_move_line l
        JOIN account_move m ON m.id = l.move_id JOIN account_account a ON a.id = l.account_id
        WHERE m.payment_state = 'paid' AND a.account_type = 'asset_receivable' AND NOT l.reconciled""",
    "duplicate_invoice_numbers": """SELECT count(*) FROM (SELECT name FROM account_move WHERE state = 'posted'
        GROUP BY name, journal_id HAVING count(*) > 1) d""",
}


def counts(connection):
    """A few SQL counts that show what the history holds."""
    with connection.cursor() as cr:
        result = {}
        for name, sql in COUNTS.items():
            cr.execute(sql)
            result[name] = cr.fetchone()[0]
        return result
