# pylint: disable=consider-merging-classes-inherited
"""Who receives a payer's statement of account by email, in which language, and whether the
back office sends it every month (issue 15)."""

from odoo import api, fields, models
from odoo.exceptions import AccessError

B2B_STATEMENT_SETTING_FIELDS = ("b2b_statement_monthly",)


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_statement_monthly = fields.Boolean(
        string="Monthly Statement by Email",
        tracking=True,
        groups="base.group_user",
        copy=False,
        help="On the first day of each month, the customer's accountants (else its invoice address) "
        "receive its statement of account with a Pay now link, when something is open. Set by "
        "billing users.",
    )

    # ------------------------------------------------------------------
    # Recipients and language of the statement email (button and monthly sending)
    # ------------------------------------------------------------------
    def _b2b_statement_recipients(self):
        """The contacts the statement of this customer entity goes to: its portal accountants
        with an email address, else its invoice address, else the entity itself."""
        self.ensure_one()
        entity = self.commercial_partner_id.sudo()
        accountants = self.sudo().search(
            [
                ("commercial_partner_id", "=", entity.id),
                ("b2b_portal_role", "=", "accountant"),
                ("email", "!=", False),
            ],
            order="id",
        )
        if accountants:
            return accountants
        invoice_address = self.browse(entity.address_get(["invoice"])["invoice"])
        return invoice_address if invoice_address.email else entity

    def _b2b_statement_partner_to(self):
        """The recipients as the mail template's ``partner_to`` (comma-separated ids)."""
        return ",".join(str(partner_id) for partner_id in self._b2b_statement_recipients().ids)

    def _b2b_statement_lang(self):
        """The statement email's language: its first recipient's, else the customer's."""
        self.ensure_one()
        return self._b2b_statement_recipients()[:1].lang or self.commercial_partner_id.lang

    # ------------------------------------------------------------------
    # The monthly option is the billing users' decision
    # ------------------------------------------------------------------
    def _b2b_check_statement_setting_change(self, vals):
        if self.env.su or self.env.user.has_group("account.group_account_invoice"):
            return
        for fname in B2B_STATEMENT_SETTING_FIELDS:
            if fname not in vals:
                continue
            if any(bool(vals[fname]) != bool(partner[fname]) for partner in self.sudo()) or (not self and vals[fname]):
                raise AccessError(
                    self.env._(
                        "Only billing users can change whether a customer receives its statement of account "
                        "every month (%(field)s).",
                        field=self._fields[fname]._description_string(self.env),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._b2b_check_statement_setting_change(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._b2b_check_statement_setting_change(vals)
        return super().write(vals)

    def action_b2b_statement_monthly_on(self):
        """Turn the monthly statement on (billing users, even without the right to edit
        customers: the change is tracked in the customer's chatter under their name)."""
        return self._b2b_set_statement_monthly(True)

    def action_b2b_statement_monthly_off(self):
        """Turn the monthly statement off (billing users)."""
        return self._b2b_set_statement_monthly(False)

    def _b2b_set_statement_monthly(self, enabled):
        self._b2b_check_statement_setting_change({"b2b_statement_monthly": enabled})
        # decided above; billing users may not write on customers otherwise
        entities = self.commercial_partner_id.sudo().filtered(lambda entity: entity.b2b_statement_monthly != enabled)
        entities.with_context(tracking_disable=True).write({"b2b_statement_monthly": enabled})
        body = (
            self.env._("Monthly statement of account by email turned on.")
            if enabled
            else self.env._("Monthly statement of account by email turned off.")
        )
        for entity in entities:
            entity.message_post(body=body, author_id=self.env.user.partner_id.id, subtype_xmlid="mail.mt_note")
        return True
