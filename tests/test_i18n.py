"""Every translatable term of the six addons has a French translation in its i18n/fr.po."""

from pathlib import Path

import polib
from test_smoke import B2B_ADDONS, SuiteTagsMixin

from odoo.tests import TransactionCase
from odoo.tools.translate import TranslationModuleReader

ADDONS_DIR = Path(__file__).resolve().parent.parent / "addons"


class TestFrenchTranslations(SuiteTagsMixin, TransactionCase):
    def test_every_term_translated_in_french(self):
        for addon in B2B_ADDONS:
            with self.subTest(addon=addon):
                terms = {
                    source
                    for module, _type, _name, _res_id, source, _value, _comments in TranslationModuleReader(
                        self.env.cr, modules=[addon]
                    )
                    if module == addon and source.strip()
                }
                po_path = ADDONS_DIR / addon / "i18n" / "fr.po"
                translated = (
                    {entry.msgid for entry in polib.pofile(str(po_path)) if entry.msgstr.strip()}
                    if po_path.exists()
                    else set()
                )
                missing = sorted(terms - translated)
                self.assertFalse(missing, f"{addon}: terms without French translation in i18n/fr.po: {missing}")
