from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestFrenchTranslation(TransactionCase):
    def test_french_terms_load_and_apply(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["b2b_party_roles"], ["fr_FR"], overwrite=True)
        order_fields = self.env["sale.order"].with_context(lang="fr_FR").fields_get(["payer_id", "b2b_approval_state"])
        self.assertEqual(order_fields["payer_id"]["string"], "Tiers payeur")
        self.assertIn(("to_approve", "À approuver"), order_fields["b2b_approval_state"]["selection"])
        partner_fields = self.env["res.partner"].with_context(lang="fr_FR").fields_get(["billed_partner_id"])
        self.assertEqual(partner_fields["billed_partner_id"]["string"], "Tiers facturé par défaut")
