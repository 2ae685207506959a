"""The payment providers' status messages in English again when Odoo wrote them in French.

Odoo computes a provider's messages (``pending_msg``, ``done_msg``...: "Your payment has been
processed.") in the language of the install: in a database created in French, the English
text of each message is the French one, so an English portal page (/en/my/invoices/<id>)
says « Votre paiement a été traité. »."""

from odoo import models
from odoo.tools import SQL, html2plaintext, plaintext2html

B2B_PROVIDER_MESSAGES = ("pending_msg", "auth_msg", "done_msg", "cancel_msg")


def _b2b_text(html):
    return html2plaintext(html or "").strip()


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    def _b2b_restore_english_messages(self):
        """Give back to each message of ``self`` still written as Odoo's default in another
        language (its English text equal to its translation) Odoo's English default; a text the
        company wrote itself is left as it is. A wire transfer's instructions are recomputed
        in English by payment_custom's own action."""
        English = self.with_context(lang="en_US")
        english = English.default_get(list(B2B_PROVIDER_MESSAGES))
        for lang, _name in self.env["res.lang"].get_installed():
            if lang == "en_US":
                continue
            localised = self.with_context(lang=lang).default_get(list(B2B_PROVIDER_MESSAGES))
            for provider in English.with_context(active_test=False).browse(self.ids):
                stale = {
                    name: english[name]
                    for name in B2B_PROVIDER_MESSAGES
                    if english.get(name)
                    and _b2b_text(localised.get(name)) != _b2b_text(english[name])
                    and _b2b_text(provider[name])
                    == _b2b_text(provider.with_context(lang=lang)[name])
                    == _b2b_text(localised.get(name))
                }
                if stale:
                    provider._b2b_write_english(stale)
                if getattr(provider, "custom_mode", False) == "wire_transfer" and _b2b_text(
                    provider.pending_msg
                ) == _b2b_text(provider.with_context(lang=lang).pending_msg):
                    # payment_custom's own instructions, computed again in English
                    translated = provider.with_context(lang=lang).pending_msg
                    provider.action_recompute_pending_msg()
                    provider.flush_recordset(["pending_msg"])
                    english_msg = provider.pending_msg
                    provider.with_context(lang=lang).pending_msg = translated
                    provider.flush_recordset(["pending_msg"])
                    provider._b2b_write_english({"pending_msg": english_msg})

    def _b2b_write_english(self, values):
        """Write the English text of translated fields, leaving every translation as it is (the
        ORM writes an English text into the languages whose text was equal to the old one)."""
        self.ensure_one()
        self.flush_recordset(list(values))
        for name, value in values.items():
            # Odoo's defaults are plain text, stored as the HTML the field makes of them
            value = str(value) if str(value).lstrip().startswith("<") else plaintext2html(value)
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s || jsonb_build_object('en_US', %s::text) WHERE id = %s",
                    SQL.identifier(self._table),
                    SQL.identifier(name),
                    SQL.identifier(name),
                    str(value),
                    self.id,
                )
            )
        self.invalidate_recordset(list(values))
