import base64
import html
import io
import uuid
from email.message import EmailMessage

from lxml import etree

from odoo import Command
from odoo.addons.b2b_party_roles.tests.common import B2bRoleUsersMixin
from odoo.addons.mail.tests.common import MockEmail
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"


@tagged("post_install", "-at_install")
class TestOrderImport(B2bRoleUsersMixin, MockEmail, TransactionCase):
    """Orders that arrive as files: an email to the orders alias from a customer's buyer or
    approver with a CSV/XLSX file (the quick entry parser) or a UBL order, and UBL orders
    uploaded by a salesman, become quotations of type EDI; anything else creates nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._b2b_create_role_users(prefix="ordimp")
        cls.salesman = cls.users["salesman"]
        cls.site_lyon, cls.site_grenoble = cls.portal_sites
        cls.site_lyon.ref = "IMP-LYO"
        cls.site_grenoble.ref = "IMP-GRE"
        # new_test_user gives every user the same address: each contact gets its own
        for role, user in cls.portal_users.items():
            user.partner_id.email = f"ordimp.{role}@customer.example"
        cls.buyer = cls.portal_users["buyer"].partner_id
        Product = cls.env["product.product"]
        cls.paper, cls.toner = Product.create(
            [
                {"name": "Ramette import", "default_code": "IMP-A4", "type": "consu", "list_price": 5.0},
                {"name": "Toner import", "default_code": "IMP-TON", "type": "consu", "list_price": 80.0},
            ]
        )
        domain = cls.env["mail.alias.domain"].search([], limit=1) or cls.env["mail.alias.domain"].create(
            {"name": "fournisseur.example"}
        )
        cls.env.company.alias_domain_id = domain
        cls.alias = cls.env.ref("b2b_customer_portal.mail_alias_sale_orders")
        cls.alias.alias_domain_id = domain

    def setUp(self):
        super().setUp()
        # Odoo's gateway marks the alias invalid in a cursor of its own when a route fails:
        # give it the test's transaction rather than a lock wait on the alias row
        self.registry_enter_test_mode()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _orders_of(self, entity):
        return self.env["sale.order"].search([("partner_id", "child_of", entity.id)])

    def _send(self, sender, files, to=None):
        """Email ``files`` [(name, bytes)] to the orders alias from ``sender``; return the new
        quotations of the sender's customers."""
        message = EmailMessage()
        message["From"] = sender
        message["To"] = to or self.alias.alias_full_name
        message["Subject"] = "Commande"
        message["Message-Id"] = f"<{uuid.uuid4()}@client.example>"
        message.set_content("Bonjour, voici notre commande.")
        for name, content in files:
            maintype, subtype = ("application", "xml") if name.endswith(".xml") else ("application", "octet-stream")
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
        before = self.env["sale.order"].search([])
        with self.mock_mail_gateway():
            self.env["mail.thread"].sudo().message_process(False, message.as_bytes())
        return self.env["sale.order"].search([]) - before

    def _xlsx(self, rows):
        import openpyxl

        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def _ubl(self, buyer=None, line_sites=("IMP-LYO", "IMP-GRE"), reference="PO-2026-042"):
        """A UBL order made by Odoo's own UBL export of a sale order of ``buyer``, as the
        customer's purchasing system sends it: its own order number, a delivery location per line."""
        source = self.env["sale.order"].create(
            {
                "partner_id": (buyer or self.buyer).id,
                "order_line": [
                    Command.create({"product_id": self.paper.id, "product_uom_qty": 10}),
                    Command.create({"product_id": self.toner.id, "product_uom_qty": 2}),
                ],
            }
        )
        tree = etree.fromstring(self.env["sale.edi.xml.ubl_bis3"]._export_order(source))
        source.unlink()
        tree.find(f"{{{CBC}}}ID").text = reference
        for line_item, site_ref in zip(tree.iterfind(f".//{{{CAC}}}LineItem"), line_sites, strict=False):
            if site_ref:
                delivery = etree.SubElement(line_item, f"{{{CAC}}}Delivery")
                location = etree.SubElement(delivery, f"{{{CAC}}}DeliveryLocation")
                etree.SubElement(location, f"{{{CBC}}}ID", schemeID="0088").text = site_ref
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")

    # ------------------------------------------------------------------
    # CSV and XLSX by email
    # ------------------------------------------------------------------
    def test_buyer_emails_a_csv_file(self):
        csv = "référence;quantité;site\nIMP-A4;10;IMP-GRE\nIMP-TON;2,5\n".encode()
        order = self._send(self.buyer.email, [("commande.csv", csv)])
        self.assertEqual(len(order), 1)
        self.assertEqual((order.partner_id, order.b2b_order_type, order.state), (self.buyer, "edi", "draft"))
        lines = {(line.product_id, line.product_uom_qty, line.partner_shipping_id) for line in order.order_line}
        self.assertEqual(lines, {(self.paper, 10.0, self.site_grenoble), (self.toner, 2.5, order.partner_shipping_id)})
        self.assertIn("commande.csv", order.message_ids.attachment_ids.mapped("name"), "the file stays on the order")
        self.assertFalse(order.user_id, "no salesperson for the customer: every salesperson sees it")
        self.assertEqual(order.with_user(self.salesman).name, order.name)
        self.assertFalse([mail for mail in self._mails if self.buyer.email in str(mail["email_to"])], "no refusal sent")

    def test_approver_emails_an_xlsx_file(self):
        approver = self.portal_users["approver"].partner_id
        self.portal_customer.user_id = self.users["sales_manager"]
        xlsx = self._xlsx([["Référence", "Quantité", "Site"], ["IMP-TON", 3, "IMP-LYO"]])
        order = self._send(f'"Approver" <{approver.email}>', [("commande.xlsx", xlsx)])
        self.assertEqual((order.partner_id, order.b2b_order_type), (approver, "edi"))
        self.assertEqual(order.order_line.partner_shipping_id or order.partner_shipping_id, self.site_lyon)
        self.assertEqual(order.order_line.product_uom_qty, 3.0)
        self.assertEqual(order.user_id, self.users["sales_manager"], "the customer's salesperson")

    def test_rows_in_error_are_answered_in_french_and_nothing_is_created(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["b2b_order_split_address", "b2b_customer_portal"], ["fr_FR"], overwrite=True
        )
        self.buyer.lang = "fr_FR"
        csv = b"IMP-A4;10\nNOPE-1;2\nIMP-TON;abc\n"
        created = self._send(self.buyer.email, [("commande.csv", csv)])
        self.assertFalse(created, "all or nothing")
        answers = [mail for mail in self._mails if self.buyer.email in str(mail["email_to"])]
        self.assertEqual(len(answers), 1, "the sender is told why")
        body = html.unescape(answers[0]["body"])
        self.assertIn("aucune commande n'a été créée", body)
        self.assertIn("NOPE-1", body)
        self.assertIn("abc", body)

    def test_unknown_sender_creates_nothing_and_gets_no_answer(self):
        csv = b"IMP-A4;10\n"
        self.assertFalse(self._send("stranger@nowhere.example", [("commande.csv", csv)]))
        self.assertFalse(self._mails, "no answer to a stranger")

    def test_accountant_and_viewer_cannot_order_by_email(self):
        for role in ("accountant", "viewer"):
            with self.subTest(role=role):
                sender = self.portal_users[role].partner_id.email
                self.assertFalse(self._send(sender, [("commande.csv", b"IMP-A4;10\n")]))
        self.assertFalse(self._orders_of(self.portal_customer))

    def test_address_shared_by_two_customers_is_refused(self):
        self.env["res.partner"].create(
            {"name": "Homonyme", "parent_id": self.other_portal_customer.id, "email": self.buyer.email}
        )
        self.assertFalse(self._send(self.buyer.email, [("commande.csv", b"IMP-A4;10\n")]))

    def test_another_customers_site_is_refused(self):
        other_buyer = self.portal_users["other_buyer"].partner_id
        created = self._send(other_buyer.email, [("commande.csv", b"IMP-A4;10;IMP-LYO\n")])
        self.assertFalse(created)
        self.assertFalse(self._orders_of(self.other_portal_customer))
        answer = [mail for mail in self._mails if other_buyer.email in str(mail["email_to"])]
        self.assertTrue(answer and "IMP-LYO" in answer[0]["body"])

    def test_buyer_limited_to_her_site(self):
        self.buyer.b2b_portal_site_ids = self.site_lyon
        self.assertFalse(self._send(self.buyer.email, [("commande.csv", b"IMP-A4;10;IMP-GRE\n")]))
        order = self._send(self.buyer.email, [("commande.csv", b"IMP-A4;10\n")])
        self.assertEqual(order.order_line.partner_shipping_id or order.partner_shipping_id, self.site_lyon)

    def test_portal_user_cannot_create_an_order_through_message_new(self):
        msg_dict = {
            "email_from": self.buyer.email,
            "b2b_order_contact_id": self.buyer.id,
            "attachments": [("commande.csv", b"IMP-A4;10\n", {})],
        }
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.portal_users["buyer"]).message_new(msg_dict)
        self.assertFalse(self._orders_of(self.portal_customer))

    def test_email_without_one_order_file_is_refused(self):
        self.assertFalse(self._send(self.buyer.email, []))
        self.assertFalse(
            self._send(self.buyer.email, [("a.csv", b"IMP-A4;1\n"), ("b.csv", b"IMP-TON;1\n")]), "one file at a time"
        )

    # ------------------------------------------------------------------
    # UBL
    # ------------------------------------------------------------------
    def test_buyer_emails_a_ubl_order(self):
        order = self._send(self.buyer.email, [("order.xml", self._ubl())])
        self.assertEqual(len(order), 1)
        self.assertEqual(
            (order.partner_id, order.b2b_order_type, order.client_order_ref), (self.buyer, "edi", "PO-2026-042")
        )
        sites = {line.product_id: line.partner_shipping_id or order.partner_shipping_id for line in order.order_line}
        self.assertEqual(sites, {self.paper: self.site_lyon, self.toner: self.site_grenoble})
        self.assertEqual(order.order_line.filtered(lambda line: line.product_id == self.paper).price_unit, 5.0)

    def test_salesman_uploads_a_ubl_order(self):
        partners = self.env["res.partner"].search_count([])
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.salesman)
            .create({"name": "order.xml", "raw": self._ubl(line_sites=("IMP-GRE",))})
        )
        action = self.env["sale.order"].with_user(self.salesman).create_document_from_attachment(attachment.ids)
        order = self.env["sale.order"].browse(action.get("res_id") or action["domain"][0][2])
        self.assertEqual(len(order), 1)
        self.assertEqual(
            (order.partner_id, order.b2b_order_type), (self.buyer, "edi"), "the contact named in the order"
        )
        self.assertEqual(order.client_order_ref, "PO-2026-042")
        paper = order.order_line.filtered(lambda line: line.product_id == self.paper)
        toner = order.order_line.filtered(lambda line: line.product_id == self.toner)
        self.assertEqual(paper.partner_shipping_id, self.site_grenoble)
        self.assertEqual(toner.partner_shipping_id, order.partner_shipping_id, "no location: the order's")
        self.assertEqual((attachment.res_model, attachment.res_id), ("sale.order", order.id))
        self.assertEqual(self.env["res.partner"].search_count([]), partners, "no partner created")

    def test_ubl_of_an_unknown_buyer_creates_nothing(self):
        stranger = self.env["res.partner"].create({"name": "Inconnu Achats SA", "is_company": True})
        content = self._ubl(buyer=stranger)
        stranger.unlink()
        orders, partners = self.env["sale.order"].search_count([]), self.env["res.partner"].search_count([])
        attachment = self.env["ir.attachment"].with_user(self.salesman).create({"name": "order.xml", "raw": content})
        with self.assertRaisesRegex(UserError, "not a known customer"):
            self.env["sale.order"].with_user(self.salesman).create_document_from_attachment(attachment.ids)
        self.assertEqual(self.env["sale.order"].search_count([]), orders, "no empty order either")
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_ubl_with_an_unknown_site_creates_nothing(self):
        orders = self.env["sale.order"].search_count([])
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.salesman)
            .create({"name": "order.xml", "raw": self._ubl(line_sites=("IMP-LYO", "NOWHERE"))})
        )
        with self.assertRaisesRegex(UserError, "NOWHERE"):
            self.env["sale.order"].with_user(self.salesman).create_document_from_attachment(attachment.ids)
        self.assertEqual(self.env["sale.order"].search_count([]), orders)

    def test_ubl_with_an_unknown_delivery_party_creates_no_partner(self):
        tree = etree.fromstring(self._ubl())
        party = tree.find(f"./{{{CAC}}}Delivery/{{{CAC}}}DeliveryParty")
        for name in party.iterfind(f".//{{{CBC}}}Name"):
            name.text = "Entrepôt Inconnu SAS"
        legal = party.find(f"{{{CAC}}}PartyLegalEntity")
        legal.find(f"{{{CBC}}}RegistrationName").text = "Entrepôt Inconnu SAS"
        etree.SubElement(legal, f"{{{CBC}}}CompanyID").text = "FR40303265045"
        # the location itself is a known site: only the party is unknown
        location = etree.Element(f"{{{CAC}}}DeliveryLocation")
        etree.SubElement(location, f"{{{CBC}}}ID").text = "IMP-LYO"
        party.addprevious(location)
        content = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
        orders, partners = self.env["sale.order"].search_count([]), self.env["res.partner"].search_count([])
        attachment = self.env["ir.attachment"].with_user(self.salesman).create({"name": "order.xml", "raw": content})
        with self.assertRaisesRegex(UserError, "Entrepôt Inconnu"):
            self.env["sale.order"].with_user(self.salesman).create_document_from_attachment(attachment.ids)
        self.assertEqual(self.env["sale.order"].search_count([]), orders)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_ubl_of_another_customer_emailed_by_a_buyer_is_refused(self):
        other_buyer = self.portal_users["other_buyer"].partner_id
        self.assertFalse(self._send(other_buyer.email, [("order.xml", self._ubl())]))
        self.assertFalse(self._orders_of(self.portal_customer))
        answer = [mail for mail in self._mails if other_buyer.email in str(mail["email_to"])]
        self.assertTrue(answer, "the sender is told")

    def test_portal_user_cannot_upload(self):
        attachment = (
            self.env["ir.attachment"].with_user(self.salesman).create({"name": "order.xml", "raw": self._ubl()})
        )
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.portal_users["buyer"]).create_document_from_attachment(attachment.ids)
        self.assertFalse(self._orders_of(self.portal_customer))

    def test_non_ubl_upload_keeps_odoo_flow(self):
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.salesman)
            .create({"name": "scan.txt", "datas": base64.b64encode(b"not an order"), "mimetype": "text/plain"})
        )
        action = self.env["sale.order"].with_user(self.salesman).create_document_from_attachment(attachment.ids)
        self.assertTrue(action)
