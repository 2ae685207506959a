"""Orders that arrive as files: a CSV/XLSX file emailed to the orders alias by a customer's
contact, or a UBL order (Peppol BIS Ordering 3, Odoo's ``sale_edi_ubl``) emailed or uploaded
in the back office. Either becomes a quotation of type EDI, all or nothing."""

# one file per capability of the portal (the addon's layout), hence several sale.order classes
# pylint: disable=consider-merging-classes-inherited
import logging

from lxml import etree
from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.addons.mail.tools.alias_error import AliasError
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# Contacts whose emails become quotations: the customer's people who order (buyers) or
# approve orders (approvers); accountants and viewers do not order.
ORDER_SENDER_ROLES = ("buyer", "approver")
ROW_FILE_EXTENSIONS = (".csv", ".txt", ".xlsx", ".xlsm")
UBL_ORDER_CUSTOMIZATION = "urn:fdc:peppol.eu:poacc:trns:order:3"
MAX_UBL_BYTES = 5 * 1024 * 1024


class MailAlias(models.Model):
    _inherit = "mail.alias"

    def _b2b_is_order_alias(self):
        return self == self.env.ref("b2b_customer_portal.mail_alias_sale_orders", raise_if_not_found=False)

    def _alias_bounce_incoming_email(self, message, message_dict, set_invalid=True):
        # Unknown senders get no answer: no mail to forged addresses, and nothing tells a
        # stranger which addresses are known.
        if self._b2b_is_order_alias() and message_dict.get("b2b_order_refusal") == "unknown_sender":
            _logger.info("Order email from %s refused: not a known contact of a customer", message_dict["email_from"])
            return
        return super()._alias_bounce_incoming_email(message, message_dict, set_invalid=set_invalid)

    def _get_alias_bounced_body(self, message_dict):
        errors = message_dict.get("b2b_order_errors")
        if not (self._b2b_is_order_alias() and errors):
            return super()._get_alias_bounced_body(message_dict)
        contact = self.env["res.partner"].browse(message_dict["b2b_refused_contact_id"])
        return self.env["sale.order"].with_context(lang=contact.lang)._b2b_order_refused_body(contact, errors)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # "edi": an order that came as a file, by email (CSV, XLSX, UBL) or uploaded (UBL)
    b2b_order_type = fields.Selection(selection_add=[("edi", "EDI")], ondelete={"edi": "set default"})

    # ------------------------------------------------------------------
    # Who may send orders
    # ------------------------------------------------------------------
    @api.model
    def _b2b_order_sender(self, email_from):
        """The customer's contact an emailed order comes from: a person (not a company) of a
        customer company, with the buyer or approver role, whose email is the sender's. Empty
        when unknown, or when the address belongs to contacts of several customers."""
        email = tools.email_normalize(email_from or "")
        Partner = self.env["res.partner"].sudo()
        if not email:
            return Partner
        own_entities = self.env["res.company"].sudo().search([]).partner_id.commercial_partner_id
        contacts = Partner.search(
            [
                ("email_normalized", "=", email),
                ("is_company", "=", False),
                ("parent_id", "!=", False),
                ("b2b_portal_role", "in", ORDER_SENDER_ROLES),
            ],
            order="id",
        ).filtered(
            lambda contact: contact.commercial_partner_id.is_company
            and contact.commercial_partner_id not in own_entities
        )
        if len(contacts.commercial_partner_id) != 1:
            return Partner
        return contacts[:1]

    # ------------------------------------------------------------------
    # Email gateway: the orders alias
    # ------------------------------------------------------------------
    @api.model
    def _b2b_order_files(self, message_dict):
        """(row files, UBL files) attached to an email: lists of (name, bytes)."""
        rows, ubl = [], []
        for attachment in message_dict.get("attachments") or []:
            name, content = attachment[0], attachment[1]
            if isinstance(content, str):
                content = content.encode()
            lowered = (name or "").lower()
            if lowered.endswith(".xml") and self._b2b_is_ubl_order(content):
                ubl.append((name, content))
            elif lowered.endswith(ROW_FILE_EXTENSIONS):
                rows.append((name, content))
        return rows, ubl

    @api.model
    def _b2b_is_ubl_order(self, content):
        try:
            tree = self._b2b_parse_xml(content)
        except UserError:
            return False
        return tree.findtext("{*}CustomizationID") == UBL_ORDER_CUSTOMIZATION

    @api.model
    def _b2b_parse_xml(self, content):
        if len(content) > MAX_UBL_BYTES:
            raise UserError(self.env._("The file is larger than 5 MB."))
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        try:
            return etree.fromstring(content, parser=parser)
        except etree.XMLSyntaxError as error:
            raise UserError(self.env._("The file is not valid XML: %(error)s", error=error)) from error

    @api.model
    def _b2b_check_emailed_order(self, contact, message_dict):
        """Every reason the email of ``contact`` cannot become a quotation (in the current
        language), or an empty list. Nothing is written."""
        rows, ubl = self._b2b_order_files(message_dict)
        if len(rows) + len(ubl) != 1:
            return [
                self.env._(
                    "Attach exactly one order file: a CSV or Excel file (reference;quantity;site reference) "
                    "or a UBL electronic order."
                )
            ]
        if ubl:
            try:
                with self.env.cr.savepoint():
                    self._b2b_import_ubl_order(ubl[0][1], sender=contact)
                    raise _DryRun
            except _DryRun:
                return []
            except UserError as error:
                return error.args[0].split("\n")
        name, content = rows[0]
        _entries, errors = self._b2b_parse_order_rows(contact, name, content)
        return errors

    @api.model
    def _b2b_parse_order_rows(self, contact, filename, content):
        """The shared quick entry parser, for the rows of a file sent by ``contact``: sites
        limited to the contact's sites, default site its own delivery address."""
        # the contact's own list of sites, archived ones included: when they are all archived
        # it may order for none (an empty list means all its customer's sites)
        own = contact.with_context(active_test=False).b2b_portal_site_ids
        limited = own.filtered("active")
        default_site = limited[:1] or self.env["res.partner"].browse(contact.address_get(["delivery"])["delivery"])
        return self.env["b2b.quick.entry.parser"]._b2b_parse_rows(
            file_data=content,
            filename=filename,
            entity=contact.commercial_partner_id,
            company=self.env.company,
            default_site=default_site,
            sites=limited if own else None,
        )

    def _alias_get_error(self, message, message_dict, alias):
        """The orders alias accepts an email only from a known contact of a customer
        (buyer or approver) with one order file whose rows are all valid."""
        error = super()._alias_get_error(message, message_dict, alias)
        if error or self.ids or not alias._b2b_is_order_alias():
            return error
        contact = self._b2b_order_sender(message_dict.get("email_from"))
        if not contact:
            message_dict["b2b_order_refusal"] = "unknown_sender"
            return AliasError("b2b_unknown_sender", self.env._("not a known contact of a customer"))
        errors = self.with_context(lang=contact.lang)._b2b_check_emailed_order(contact, message_dict)
        if errors:
            message_dict.update(b2b_order_errors=errors, b2b_refused_contact_id=contact.id)
            return AliasError("b2b_order_errors", "; ".join(errors))
        message_dict["b2b_order_contact_id"] = contact.id
        return False

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An email the orders alias accepted (``_alias_get_error`` names its sender) becomes a
        quotation of type EDI for that contact; other emails keep Odoo's behaviour."""
        contact_id = msg_dict.pop("b2b_order_contact_id", None)  # never reaches message_post
        if not contact_id:
            return super().message_new(msg_dict, custom_values)
        contact = self._b2b_order_sender(msg_dict.get("email_from"))
        if contact.id != contact_id:
            raise UserError(self.env._("The sender of this order is not a known contact of a customer."))
        rows, ubl = self._b2b_order_files(msg_dict)
        if ubl:
            return self._b2b_import_ubl_order(ubl[0][1], sender=contact)
        name, content = rows[0]
        entries, errors = self.with_context(lang=contact.lang)._b2b_parse_order_rows(contact, name, content)
        if errors:  # checked by _alias_get_error a moment ago
            raise UserError("\n".join(errors))
        order = self.create(
            {"partner_id": contact.id, "b2b_order_type": "edi", **self._b2b_emailed_order_vals(contact)}
        )
        order._b2b_add_entries(entries)
        return order

    @api.model
    def _b2b_emailed_order_vals(self, contact):
        """An emailed order goes to the customer's salesperson, else to nobody (every
        salesperson sees it), never to the user who runs the mail gateway."""
        salesperson = contact.user_id or contact.commercial_partner_id.user_id
        return {"user_id": salesperson.id}

    def _b2b_add_entries(self, entries):
        """Lines of the parser's entries {(product, site): quantity}, in row order."""
        self.ensure_one()
        self.env["sale.order.line"].create(
            [
                {
                    "order_id": self.id,
                    "product_id": product.id,
                    "product_uom_qty": quantity,
                    "sequence": 10 + index,
                    **({"partner_shipping_id": site.id} if site != self.partner_shipping_id else {}),
                }
                for index, ((product, site), quantity) in enumerate(entries.items())
            ]
        )

    @api.model
    def _b2b_order_refused_body(self, contact, errors):
        """The answer to a refused order email, in the current language (the contact's)."""
        items = Markup("").join(Markup("<li>%s</li>") % error for error in errors)
        return Markup("<p>%s</p><p>%s</p><ul>%s</ul><p>%s</p>") % (
            self.env._("Hello %(name)s,", name=contact.name),
            self.env._(
                "Your order could not be registered: nothing was created. Please correct the file and send it again."
            ),
            items,
            self.env._("Rows: product reference;quantity;site reference (the site is optional)."),
        )

    # ------------------------------------------------------------------
    # UBL orders (Peppol BIS Ordering 3)
    # ------------------------------------------------------------------
    @api.model
    def _b2b_import_ubl_order(self, content, sender=None):
        """A quotation of type EDI from a UBL order, for a buyer that is a known customer.

        The buyer party must be an existing customer company (nothing is created: no partner,
        no empty order); with ``sender`` (an emailed order), it must be the sender's company.
        The ordering contact is the sender, else the buyer's contact named in the order, else
        the buyer. Each line keeps its own delivery location as its site; the buyer's order
        number becomes the customer reference. Any error refuses the whole order."""
        tree = self._b2b_parse_xml(content)
        if tree.findtext("{*}CustomizationID") != UBL_ORDER_CUSTOMIZATION:
            raise UserError(self.env._("This file is not a UBL order (Peppol BIS Ordering 3)."))
        edi = self.env["sale.edi.xml.ubl_bis3"]
        company = self.env.company
        buyer_vals = edi._import_retrieve_partner_vals(tree, "BuyerCustomer")
        peppol = (
            [("peppol_eas", "=", buyer_vals["peppol_eas"]), ("peppol_endpoint", "=", buyer_vals["peppol_endpoint"])]
            if buyer_vals.get("peppol_eas") and buyer_vals.get("peppol_endpoint")
            else None
        )
        buyer = (
            self.env["res.partner"]
            .with_company(company)
            ._retrieve_partner(
                name=buyer_vals.get("name"),
                phone=buyer_vals.get("phone"),
                email=buyer_vals.get("email"),
                vat=buyer_vals.get("vat"),
                domain=peppol,
            )
        )
        entity = buyer.commercial_partner_id
        if not entity or not entity.is_company or entity == company.partner_id.commercial_partner_id:
            raise UserError(
                self.env._(
                    "The buyer of this order (%(name)s) is not a known customer: nothing was imported.",
                    name=buyer_vals.get("name") or buyer_vals.get("vat") or "?",
                )
            )
        if sender and sender.commercial_partner_id != entity:
            raise UserError(
                self.env._(
                    "The buyer of this order (%(name)s) is not your company: nothing was imported.", name=entity.name
                )
            )
        # Odoo's import creates a delivery party it cannot find when it has a name and a VAT
        # number: such an order is refused instead (its sites must be the customer's)
        delivery_vals = edi._import_retrieve_partner_vals(tree, "Delivery")
        if (
            delivery_vals.get("name")
            and delivery_vals.get("vat")
            and not self.env["res.partner"]
            .with_company(company)
            ._retrieve_partner(
                name=delivery_vals["name"],
                phone=delivery_vals.get("phone"),
                email=delivery_vals.get("email"),
                vat=delivery_vals["vat"],
            )
        ):
            raise UserError(
                self.env._("Order: unknown delivery location %(location)s", location=f"“{delivery_vals['name']}”")
            )
        contact = sender or self._b2b_ubl_buyer_contact(tree, entity)
        with self.env.cr.savepoint():  # all or nothing, whatever the caller does with the error
            vals = {"partner_id": contact.id, "b2b_order_type": "edi", "company_id": company.id}
            if sender:
                vals.update(self._b2b_emailed_order_vals(sender))
            order = self.create(vals)
            edi._import_order_ubl(order, {"xml_tree": tree}, True)
            # our taxes (the customer's fiscal position), not the file's; prices are already ours
            order.order_line.filtered("product_id")._compute_tax_ids()
        return order

    @api.model
    def _b2b_ubl_buyer_contact(self, tree, entity):
        """The buyer's contact named in the order (by email, else by name), else the buyer."""
        email = tools.email_normalize(
            tree.findtext("./{*}BuyerCustomerParty/{*}Party/{*}Contact/{*}ElectronicMail") or ""
        )
        name = (tree.findtext("./{*}BuyerCustomerParty/{*}Party/{*}Contact/{*}Name") or "").strip()
        people = self.env["res.partner"].search(
            [("id", "child_of", entity.id), ("is_company", "=", False), ("type", "=", "contact")], order="id"
        )
        return (
            (email and people.filtered(lambda person: person.email_normalized == email)[:1])
            or (name and people.filtered(lambda person: person.name == name)[:1])
            or entity
        )

    @api.model
    def create_document_from_attachment(self, attachment_ids):
        """Uploaded UBL orders go through the checked import (known buyer, lines' sites, no
        empty order first, no commit); other files keep Odoo's flow."""
        attachments = self.env["ir.attachment"].browse(attachment_ids)
        ubl = attachments.filtered(lambda a: (a.name or "").lower().endswith(".xml") and self._b2b_is_ubl_order(a.raw))
        if not ubl:
            return super().create_document_from_attachment(attachment_ids)
        if attachments - ubl:
            raise UserError(self.env._("Upload UBL orders apart from other files."))
        orders = self.browse()
        for attachment in ubl:
            try:
                order = self._b2b_import_ubl_order(attachment.raw)
            except UserError as error:
                raise UserError(self.env._("%(file)s: %(error)s", file=attachment.name, error=error.args[0])) from error
            attachment.write({"res_model": order._name, "res_id": order.id})
            order.message_post(
                body=self.env._("This document was created from the following attachment(s)."),
                attachment_ids=attachment.ids,
            )
            orders |= order
        return orders._get_records_action(name=self.env._("Generated Orders"))


class _DryRun(Exception):
    """Rolls back a trial import (savepoint) once it has succeeded."""


class SaleEdiXmlUblBis3(models.AbstractModel):
    _inherit = "sale.edi.xml.ubl_bis3"

    def _retrieve_invoice_line_vals(self, tree, document_type=False, qty_factor=1):
        # each order line's own delivery location, resolved into a site in _retrieve_order_vals
        vals = super()._retrieve_invoice_line_vals(tree, document_type, qty_factor)
        if document_type == "order":
            vals["b2b_line_number"] = tree.findtext("./{*}ID") or "?"
            vals["b2b_delivery"] = tree.find("./{*}Delivery")
        return vals

    def _retrieve_order_vals(self, order, tree):
        """Odoo's order values, checked and completed for a B2B customer: an order already made
        out to a contact of the buyer keeps that ordering contact; the order's delivery
        (header) and each line's delivery (line) are sites of the buyer; every line has a
        known product. Any error refuses the whole order (UserError listing them all)."""
        order_vals, logs = super()._retrieve_order_vals(order, tree)
        buyer = self.env["res.partner"].browse(order_vals.get("partner_id")).commercial_partner_id
        entity = order.partner_id.commercial_partner_id or buyer
        if order.partner_id and buyer == entity:
            order_vals.pop("partner_id")  # the ordering contact, set when the order was made
        sites = self.env["res.partner"].search([("id", "child_of", entity.id)])
        errors = []
        header = tree.find("./{*}Delivery")
        header_site = self._b2b_delivery_site(header, sites)
        if header is not None and not header_site:
            errors.append(
                self.env._("Order: unknown delivery location %(location)s", location=self._b2b_location_label(header))
            )
        if header_site:
            order_vals["partner_shipping_id"] = header_site.id
        else:
            order_vals.pop("partner_shipping_id", None)
        for command in order_vals.get("order_line", []):
            line_vals = command[2]
            if "b2b_line_number" not in line_vals:
                continue
            number = line_vals.pop("b2b_line_number")
            delivery = line_vals.pop("b2b_delivery")
            if not line_vals.get("product_id"):
                errors.append(
                    self.env._("Line %(line)s: unknown product “%(name)s”", line=number, name=line_vals.get("name"))
                )
            if delivery is None:
                continue
            site = self._b2b_delivery_site(delivery, sites)
            if not site:
                errors.append(
                    self.env._(
                        "Line %(line)s: unknown delivery location %(location)s",
                        line=number,
                        location=self._b2b_location_label(delivery),
                    )
                )
            elif site != header_site:
                line_vals["partner_shipping_id"] = site.id
        if errors:
            raise UserError("\n".join(errors))
        return order_vals, logs

    def _b2b_delivery_site(self, delivery, sites):
        """The address among ``sites`` a UBL ``Delivery`` element names: its location ID or its
        delivery party's ID is the address's reference, else its delivery party's name is the
        address's name. Empty when the element names none of them."""
        if delivery is None:
            return sites.browse()
        identifiers = {
            (text or "").strip()
            for text in (
                delivery.findtext("./{*}DeliveryLocation/{*}ID"),
                delivery.findtext("./{*}DeliveryParty/{*}PartyIdentification/{*}ID"),
            )
        } - {""}
        site = sites.filtered(lambda site: site.ref and site.ref in identifiers)[:1]
        name = (delivery.findtext("./{*}DeliveryParty/{*}PartyName/{*}Name") or "").strip()
        # the party's name as the site's own name or as Odoo writes it ("Customer, Site")
        return site or sites.filtered(lambda site: name and name in (site.name, site.display_name))[:1]

    def _b2b_location_label(self, delivery):
        for path in (
            "./{*}DeliveryLocation/{*}ID",
            "./{*}DeliveryParty/{*}PartyIdentification/{*}ID",
            "./{*}DeliveryParty/{*}PartyName/{*}Name",
        ):
            text = (delivery.findtext(path) or "").strip()
            if text:
                return f"“{text}”"
        return "?"
