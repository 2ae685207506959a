import base64
import html
import io
import logging
import re
import time
import zipfile

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SplitAddressCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestQuickEntry(SplitAddressCase):
    def setUp(self):
        super().setUp()
        # a salesman without accounting rights, on his own quotation
        self.salesman = self.users["salesman"]
        self.order = self._order([], self.salesman)

    def _entry(self, **vals):
        return self.env["b2b.quick.entry"].with_user(self.salesman).create({"order_id": self.order.id, **vals})

    def test_salesman_without_accounting_rights(self):
        self.assertFalse(self.salesman.has_group("account.group_account_invoice"))
        action = self.order.with_user(self.salesman).action_b2b_quick_entry()
        self.assertEqual(action["res_model"], "b2b.quick.entry")
        self._entry(raw_lines="T-PAP;10;TST-B\nT-TON;2").action_apply()
        self.assertEqual(
            {(line.product_id, line.partner_shipping_id, line.product_uom_qty) for line in self.order.order_line},
            {(self.paper, self.site_b, 10.0), (self.toner, self.site_a, 2.0)},
        )

    def test_quantities_not_finite_refused_at_preview(self):
        for quantity in ("nan", "inf", "-inf", "1e400", "NaN"):
            wizard = self._entry(raw_lines=f"T-PAP;{quantity}")
            self.assertIn("Row 1: quantity", wizard.preview_html, quantity)
            self.assertIn("is not a number", wizard.preview_html, quantity)
            with self.assertRaises(UserError):
                wizard.action_apply()
        # finite, but its amounts would overflow
        wizard = self._entry(raw_lines="T-TON;1e307")
        self.assertIn("Row 1: quantity 1e307 is too large", wizard.preview_html)
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertFalse(self.order.order_line)

    def test_quantity_rounding_to_zero_refused(self):
        self.assertEqual(self.paper.uom_id.rounding, 0.01)
        wizard = self._entry(raw_lines="T-PAP;0.0001\nT-TON;0,004\nT-GEL;0.01")
        self.assertIn("Row 1: quantity 0.0001 is 0 in Units", wizard.preview_html)
        self.assertIn("Row 2: quantity 0,004 is 0 in Units", wizard.preview_html)
        self.assertNotIn("Row 3", wizard.preview_html)
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertFalse(self.order.order_line)

    def test_pasted_text_size_limited_as_files(self):
        pasted = "T-PAP;1;" + "x" * (5 * 1024 * 1024)
        wizard = self._entry(raw_lines=pasted)
        self.assertIn("larger than 5 MB", wizard.preview_html)
        with self.assertRaises(UserError) as error:
            wizard.action_apply()
        self.assertIn("larger than 5 MB", str(error.exception))

    def _xlsx(self, rows, dimension=None):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
        if dimension:
            # what some generators write: a declared size far beyond the data
            with zipfile.ZipFile(io.BytesIO(data)) as source:
                members = {info: source.read(info) for info in source.infolist()}
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
                for info, content in members.items():
                    if info.filename == "xl/worksheets/sheet1.xml":
                        content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="%s"' % dimension, content)
                    target.writestr(info, content)
            data = buffer.getvalue()
        return base64.b64encode(data)

    def test_spreadsheet_read_as_far_as_it_has_data(self):
        data = self._xlsx([["T-GEL", 6, "TST-B"], ["T-TON", 1]], dimension=b"A1:XFD1048576")
        start = time.perf_counter()
        self._entry(file=data, filename="huge.xlsx").action_apply()
        self.assertLess(time.perf_counter() - start, 5, "the declared size is not read")
        self.assertEqual(
            {(line.product_id, line.partner_shipping_id, line.product_uom_qty) for line in self.order.order_line},
            {(self.gel, self.site_b, 6.0), (self.toner, self.site_a, 1.0)},
        )

    def test_spreadsheet_over_the_row_limit_refused(self):
        data = self._xlsx([["T-PAP", 1]] * 5002, dimension=b"A1:XFD1048576")
        start = time.perf_counter()
        with self.assertRaises(UserError) as error:
            self._entry(file=data, filename="many.xlsx").action_apply()
        self.assertIn("at most 5000 rows", str(error.exception))
        self.assertLess(time.perf_counter() - start, 10)
        self.assertFalse(self.order.order_line)

    def test_valid_rows_create_lines_summed(self):
        self._entry(
            raw_lines="Référence;Quantité;Adresse\nT-PAP;10;TST-B\nT-TON\t2\nT-PAP;5;TST-B\nT-GEL,3\nT-PAP;2,5\n"
        ).action_apply()
        lines = {(line.product_id, line.partner_shipping_id): line.product_uom_qty for line in self.order.order_line}
        self.assertEqual(
            lines,
            {
                (self.paper, self.site_b): 15.0,
                (self.toner, self.site_a): 2.0,
                (self.gel, self.site_a): 3.0,
                (self.paper, self.site_a): 2.5,
            },
        )

    def test_preview_shows_what_will_be_added(self):
        wizard = self._entry(raw_lines="T-PAP;10;TST-B\nT-TON;1")
        self.assertIn("T-PAP", wizard.preview_html)
        self.assertIn(self.site_b.display_name, wizard.preview_html)
        self.assertFalse(self.order.order_line, "the preview writes nothing")
        wizard = self._entry(raw_lines="NOPE;10")
        self.assertIn("Row 1", wizard.preview_html)

    def test_every_bad_row_reported_nothing_written(self):
        raw = "\n".join(
            [
                "T-PAP;10",  # 1 ok
                "UNKNOWN;1",  # 2 unknown product
                "T-TON;abc",  # 3 not a number
                "T-GEL;0",  # 4 zero
                "T-GEL;-3",  # 5 negative
                "T-PAP;1;NO-SUCH-SITE",  # 6 unknown address
                "T-PAP;1;TST-XS",  # 7 address of another customer
                "T-PAP",  # 8 missing quantity
            ]
        )
        with self.assertRaises(UserError) as error:
            self._entry(raw_lines=raw).action_apply()
        message = str(error.exception)
        for row, reason in [
            (2, "unknown product reference"),
            (3, "is not a number"),
            (4, "more than zero"),
            (5, "more than zero"),
            (6, "unknown delivery address"),
            (7, "is not an address of"),
            (8, "expected reference;quantity"),
        ]:
            self.assertIn(f"Row {row}: ", message)
            self.assertIn(reason, message)
        self.assertNotIn("Row 1:", message)
        self.assertFalse(self.order.order_line, "all or nothing")

    def test_csv_and_xlsx_files(self):
        csv_data = b"reference;quantity;address\nT-PAP;4;TST-C\nT-TON;1\n"
        self._entry(file=base64.b64encode(csv_data), filename="lines.csv").action_apply()
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["Référence", "Quantité", "Adresse"])
        sheet.append(["T-GEL", 6, "TST-B"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        self._entry(file=base64.b64encode(buffer.getvalue()), filename="lines.xlsx").action_apply()
        lines = {(line.product_id, line.partner_shipping_id): line.product_uom_qty for line in self.order.order_line}
        self.assertEqual(
            lines, {(self.paper, self.site_c): 4.0, (self.toner, self.site_a): 1.0, (self.gel, self.site_b): 6.0}
        )

    def test_unreadable_or_oversized_file(self):
        with self.assertRaises(UserError) as error:
            self._entry(file=base64.b64encode(b"PK\x03\x04garbage"), filename="broken.xlsx").action_apply()
        self.assertIn("could not be read", str(error.exception))
        big = b"T-PAP;1\n" * (5 * 1024 * 1024 // 8 + 10)
        with self.assertRaises(UserError) as error:
            self._entry(file=base64.b64encode(big), filename="big.csv").action_apply()
        self.assertIn("5 MB", str(error.exception))
        with self.assertRaises(UserError) as error:
            self._entry(raw_lines="T-PAP;1\n" * 5001).action_apply()
        self.assertIn("5000", str(error.exception))
        self.assertFalse(self.order.order_line)

    def test_confirmed_order_refused(self):
        self.order.order_line = [(0, 0, {"product_id": self.paper.id, "product_uom_qty": 1})]
        self.order.action_confirm()
        with self.assertRaises(UserError):
            self._entry(raw_lines="T-TON;1").action_apply()
        self.assertEqual(len(self.order.order_line), 1)

    def _count_queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_lookups_in_constant_queries_and_500_rows_bounded(self):
        products = self.env["product.product"].create(
            [{"name": f"Article {i}", "default_code": f"BULK-{i:04d}", "type": "consu"} for i in range(500)]
        )
        sites = [self.site_a, self.site_b, self.site_c]

        def raw(count):
            return "\n".join(f"{products[i].default_code};{i % 7 + 1};{sites[i % 3].ref}" for i in range(count))

        small, large = self._entry(raw_lines=raw(10)), self._entry(raw_lines=raw(500))
        self._count_queries(small._check_rows)  # the salesman's access rules are loaded once, then cached
        checks_small = self._count_queries(small._check_rows)
        checks_large = self._count_queries(large._check_rows)
        self.assertEqual(checks_small, checks_large, "product and address lookups do not grow with the rows")
        self.assertLessEqual(checks_large, 10)

        order_small = self.order
        apply_small = self._count_queries(small.action_apply)
        self.order = self._order([], self.salesman)
        large.order_id = self.order
        start = time.perf_counter()
        apply_large = self._count_queries(large.action_apply)
        elapsed = time.perf_counter() - start
        self.assertEqual(len(self.order.order_line), 500)
        self.assertEqual(len(order_small.order_line), 10)
        # 50x more rows: a few more batched queries (INSERT/UPDATE in chunks), never one per row
        self.assertLess(apply_large, apply_small + 20, f"{apply_small} queries for 10 rows, {apply_large} for 500")
        self.assertLess(apply_large, 100)
        _logger.info("quick entry: 10 rows %s queries; 500 rows %s queries in %.2fs", apply_small, apply_large, elapsed)

    def _assert_quick_entry_refused(self, reason):
        order = self.order.with_user(self.salesman)
        self.assertFalse(order.b2b_quick_entry_allowed, "no Quick Entry button")
        with self.assertRaises(UserError) as error:
            order.action_b2b_quick_entry()
        self.assertIn(reason, str(error.exception))
        wizard = self._entry(raw_lines="T-PAP;1")
        self.assertIn(reason, html.unescape(wizard.preview_html))
        with self.assertRaises(UserError):
            wizard.action_apply()

    def test_held_order_refused(self):
        if "b2b_credit_hold" not in self.order._fields:
            self.skipTest("b2b_credit_hold is not installed")
        self.order.order_line = [(0, 0, {"product_id": self.toner.id, "product_uom_qty": 1})]
        self.assertTrue(self.order.with_user(self.salesman).b2b_quick_entry_allowed)
        self.order.sudo().write({"b2b_credit_hold": True})
        self._assert_quick_entry_refused("on credit hold")
        self.assertEqual(len(self.order.order_line), 1)

    def test_order_waiting_for_or_rejected_by_customer_approval_refused(self):
        self.group.b2b_approval_limit = 50.0
        self.buyer.b2b_portal_role = "buyer"
        self.order.order_line = [(0, 0, {"product_id": self.toner.id, "product_uom_qty": 1})]
        self.assertEqual(self.order.b2b_approval_state, "to_approve")
        self._assert_quick_entry_refused("waiting for the customer's approval")
        self.order.with_user(self.users["sales_manager"]).action_b2b_reject(reason="Trop cher")
        self.assertEqual(self.order.b2b_approval_state, "rejected")
        self._assert_quick_entry_refused("rejected by the customer")
        self.assertEqual(len(self.order.order_line), 1)
