# pylint: disable=consider-merging-classes-inherited
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, groupby
from odoo.tools.misc import get_lang

from .res_partner_portal import B2B_REPLENISHMENT_PORTAL_ROLES

# the most one may type for a quantity in the portal (a count or a proposal's line): above
# it, a typing error (``1e9``), never a real need of a customer's site
MAX_PORTAL_QUANTITY = 1_000_000


def parse_portal_quantity(env, text, label):
    """A quantity typed in the portal (``12``, ``12.5`` or ``12,5``): a number >= 0, else a
    UserError naming ``label``."""
    value = (text or "").strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        quantity = float(value)
    except ValueError:
        quantity = None
    if quantity is None or quantity != quantity or quantity in (float("inf"), float("-inf")):
        raise UserError(env._("%(label)s: enter a number, for example 12 or 12.5.", label=label))
    if quantity < 0:
        raise UserError(env._("%(label)s: a quantity cannot be negative.", label=label))
    if quantity > MAX_PORTAL_QUANTITY:
        raise UserError(
            env._(
                "%(label)s: a quantity cannot be more than %(maximum)s.",
                label=label,
                maximum=format_portal_quantity(env, MAX_PORTAL_QUANTITY),
            )
        )
    return quantity


def format_portal_quantity(env, value):
    """A quantity as the user's language writes it (``12,5`` in French, ``1,000`` in English),
    with the decimals it has, up to the precision of quantities (no ``12.50``, no ``1e+06``)."""
    digits = env["decimal.precision"].precision_get("Product Unit")
    decimals = f"{value:.{digits}f}".rstrip("0").split(".")[1] if digits else ""
    lang = env["res.lang"].browse(get_lang(env).id)
    return lang.format(f"%.{len(decimals)}f", value, grouping=True)


def parse_portal_date(env, text, label):
    """A date typed in the portal (YYYY-MM-DD, as a date field sends it), or False when empty."""
    if not (text or "").strip():
        return False
    try:
        return fields.Date.to_date(text.strip())
    except ValueError as error:
        raise UserError(env._("%(label)s: enter a valid date.", label=label)) from error


class B2bReplenishmentRule(models.Model):
    _inherit = "b2b.replenishment.rule"

    b2b_notice_date = fields.Date(
        string="Buyer Notified For",
        readonly=True,
        copy=False,
        help="Order date of the proposal the buyer was last told about in advance.",
    )

    # ------------------------------------------------------------------
    # Portal: what the customer's buyer or approver does on a rule of its sites. Each action
    # checks the user's role and the record rules (the rule must be readable by the user)
    # before writing in sudo: portal users have no write access on rules.
    # ------------------------------------------------------------------
    def _b2b_portal_check(self):
        """Refuse unless the current user is a portal buyer or approver who may read these rules."""
        user = self.env.user
        if not (user.share and user.partner_id.b2b_portal_role in B2B_REPLENISHMENT_PORTAL_ROLES):
            raise AccessError(self.env._("Only the customer's buyers and approvers manage its replenishment."))
        self.check_access("read")

    def _b2b_portal_declare_count(self, quantity, count_date=None):
        """Record the quantity on hand at the rule's site, counted on ``count_date`` (today when
        empty), declared by the current portal user. Input as typed; refused with a clear
        message (nothing written) when not a number, negative or dated in the future."""
        self.ensure_one()
        self._b2b_portal_check()
        label = self.env._("On-hand count of %(product)s", product=self.sudo().product_id.display_name)
        value = parse_portal_quantity(self.env, quantity, label)
        day = parse_portal_date(self.env, count_date, label)
        today = fields.Date.context_today(self)
        if day and day > today:
            raise UserError(self.env._("%(label)s: the count cannot be dated in the future.", label=label))
        if day and day < today:
            # a past day's count is taken at the end of that day (the user's day)
            date = self._b2b_portal_end_of_day(day)
        else:
            date = fields.Datetime.now()
        rule = self.sudo()
        return (
            self.env["b2b.replenishment.count"]
            .sudo()
            .create(
                {
                    "partner_shipping_id": rule.partner_shipping_id.id,
                    "product_id": rule.product_id.id,
                    "quantity": value,
                    "date": date,
                }
            )
        )

    def _b2b_portal_end_of_day(self, day):
        """The last second of ``day`` in the user's time zone, as a naive UTC datetime."""
        tz = pytz.timezone(self.env.user.tz or "UTC")
        return tz.localize(datetime.combine(day, time.max)).astimezone(pytz.utc).replace(tzinfo=None, microsecond=0)

    def _b2b_portal_pause(self, resume_date=None, reason=None):
        """Pause the rule, until ``resume_date`` when given (it then resumes by itself)."""
        self.ensure_one()
        self._b2b_portal_check()
        day = parse_portal_date(self.env, resume_date, self.env._("Resume date"))
        if self.state != "active":
            raise UserError(self.env._("This rule is already paused."))
        reason = (reason or "").strip()[:200] or False
        self.sudo().action_pause(pause_until=day, reason=reason)
        self.sudo().message_post(
            body=self.env._("Paused in the portal by %(contact)s.", contact=self.env.user.partner_id.name),
            author_id=self.env.user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _b2b_portal_resume(self):
        """Make the paused rule active again: its next period is the first one still ahead."""
        self.ensure_one()
        self._b2b_portal_check()
        if self.state != "paused":
            raise UserError(self.env._("This rule is not paused."))
        self.sudo().action_resume()
        self.sudo().message_post(
            body=self.env._("Resumed in the portal by %(contact)s.", contact=self.env.user.partner_id.name),
            author_id=self.env.user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _b2b_portal_last_counts(self):
        """{rule id: {quantity, date, by}} of the latest on-hand count of each rule's site and
        product that the user may read (record rules): one query, whatever the history."""
        if not self:
            return {}
        Count = self.env["b2b.replenishment.count"]
        readable = Count._search(
            [
                ("partner_shipping_id", "in", self.partner_shipping_id.ids),
                ("product_id", "in", self.product_id.ids),
            ]
        )
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT ON (partner_shipping_id, product_id) id
                     FROM b2b_replenishment_count
                    WHERE id IN %s
                 ORDER BY partner_shipping_id, product_id, date DESC, id DESC""",
                readable.subselect(),
            )
        )
        counts = Count.browse(row[0] for row in rows).sudo()
        latest = {(count.partner_shipping_id.id, count.product_id.id): count for count in counts}
        result = {}
        for rule in self.sudo():
            count = latest.get((rule.partner_shipping_id.id, rule.product_id.id))
            if count:
                result[rule.id] = {
                    "quantity": count.quantity,
                    "date": fields.Datetime.context_timestamp(self, count.date).date(),
                    "by": count.declared_by_id.partner_id.name,
                }
        return result

    # ------------------------------------------------------------------
    # Advance notice to the buyer (ir_cron_replenishment_buyer)
    # ------------------------------------------------------------------
    @api.model
    def _b2b_send_proposal_notices(self):
        """Email each buyer, the company's number of days ahead, the rules validated in the
        portal whose proposal comes: one email per buyer, site and date, once per date."""
        today = fields.Date.context_today(self)
        template = self.env.ref("b2b_replenishment.mail_template_replenishment_notice").sudo()
        companies = self.env["res.company"].sudo().search([("b2b_replenishment_notice_days", ">", 0)])
        for company in companies:
            rules = self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "active"),
                    ("validation", "=", "buyer"),
                    ("next_date", ">", today),
                    ("next_date", "<=", today + timedelta(days=company.b2b_replenishment_notice_days)),
                ]
            )
            rules = rules.filtered(lambda rule: rule.b2b_notice_date != rule.next_date)
            for (_buyer, _site, next_date), group in groupby(
                rules, key=lambda rule: (rule.buyer_id, rule.partner_shipping_id, rule.next_date)
            ):
                group = self.sudo().union(*group)
                template.with_context(b2b_rule_ids=group.ids).send_mail(
                    group[0].id, email_layout_xmlid="mail.mail_notification_light"
                )
                group.b2b_notice_date = next_date
