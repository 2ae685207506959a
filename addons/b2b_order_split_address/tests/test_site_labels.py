from lxml import etree

from odoo.tests import tagged

from .common import SplitAddressCase


@tagged("post_install", "-at_install")
class TestSiteLabels(SplitAddressCase):
    """Three sites of one customer read "Groupe Hospitalier Test, Site A/B/C", cut short to
    "Groupe H…" in a narrow column: they are shown by their short label."""

    @staticmethod
    def _m2o(fname):
        """What the web client reads of a many2one column."""
        return {fname: {"fields": {"display_name": {}}}}

    def test_site_label_of_an_address(self):
        salesman = self.users["salesman"]
        site_a = self.site_a.with_user(salesman)
        self.assertEqual(site_a.display_name, "Groupe Hospitalier Test, Site A", "Odoo's name elsewhere")
        self.assertEqual(site_a.b2b_site_label, "Site A")
        self.assertEqual(site_a.with_context(b2b_site_label=True).display_name, "Site A")
        nameless = self.env["res.partner"].create({"type": "delivery", "parent_id": self.group.id, "ref": "TST-N"})
        self.assertEqual(nameless.with_user(salesman).b2b_site_label, "TST-N", "else its reference")
        self.assertEqual(self.group.with_user(salesman).b2b_site_label, self.group.name)
        self.assertEqual(self.group.with_user(salesman).with_context(b2b_site_label=True).display_name, self.group.name)

    def test_order_lines_and_selection_show_site_labels(self):
        salesman = self.users["salesman"]
        order = self._order([(self.paper, 1, {}), (self.toner, 1, {"partner_shipping_id": self.site_b.id})], salesman)
        arch = order.with_user(salesman).get_views([(False, "form")])["views"]["form"]["arch"]
        field = etree.fromstring(arch).xpath("//field[@name='order_line']/list/field[@name='partner_shipping_id']")[0]
        context = field.get("context")
        self.assertIn("'b2b_site_label': True", context)
        lines = order.order_line.with_user(salesman).with_context(b2b_site_label=True)
        self.assertEqual(
            [line["partner_shipping_id"]["display_name"] for line in lines.web_read(self._m2o("partner_shipping_id"))],
            ["Site A", "Site B"],
        )
        # the drop-down list of the column
        choices = (
            self.env["res.partner"]
            .with_user(salesman)
            .with_context(b2b_site_label=True)
            .name_search("Site", [("commercial_partner_id", "=", self.group.id)])
        )
        self.assertEqual(sorted(name for _id, name in choices), ["Site A", "Site B", "Site C"])

    def test_pickings_and_invoice_lines_show_site_labels(self):
        order = self._order([(self.paper, 1, {}), (self.toner, 1, {"partner_shipping_id": self.site_b.id})])
        order.action_confirm()
        stock_user = self.users["stock_user"]
        pickings = order.picking_ids.with_user(stock_user)
        self.assertEqual(sorted(pickings.mapped("b2b_site_label")), ["Site A", "Site B"])
        arch = pickings.get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertTrue(etree.fromstring(arch).xpath("//field[@name='b2b_site_label']"))

        billing = self.users["billing"]
        invoice = order._create_invoices().with_user(billing)
        arch = invoice.get_views([(False, "form")])["views"]["form"]["arch"]
        field = etree.fromstring(arch).xpath(
            "//field[@name='invoice_line_ids']/list/field[@name='b2b_delivery_partner_id']"
        )[0]
        self.assertIn("'b2b_site_label': True", field.get("context"))
        lines = invoice.invoice_line_ids.filtered("product_id").with_context(b2b_site_label=True)
        self.assertEqual(
            sorted(
                line["b2b_delivery_partner_id"]["display_name"]
                for line in lines.web_read(self._m2o("b2b_delivery_partner_id"))
            ),
            ["Site A", "Site B"],
        )
