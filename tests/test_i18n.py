"""Every translatable term of the six addons has a French translation in its i18n/fr.po,
written so that Odoo loads it: an entry Odoo's PO reader skips (no occurrence such as
``#: model_terms:ir.ui.view,arch_db:<xmlid>``, or a code term without its ``odoo-python``
comment) leaves the page in English even though its msgid is in the file."""

from pathlib import Path

from test_smoke import B2B_ADDONS, SuiteTagsMixin

from odoo.tests import TransactionCase
from odoo.tools.translate import (
    JAVASCRIPT_TRANSLATION_COMMENT,
    PYTHON_TRANSLATION_COMMENT,
    PoFileReader,
    TranslationModuleReader,
)

ADDONS_DIR = Path(__file__).resolve().parent.parent / "addons"
CODE_KINDS = (PYTHON_TRANSLATION_COMMENT, JAVASCRIPT_TRANSLATION_COMMENT)


def _key(type_, name, xmlid, src, comments):
    """What identifies a translation where Odoo uses it: code terms by their text and kind
    (python or web client), model terms by field and record."""
    if type_ == "code":
        return {("code", kind, src) for kind in CODE_KINDS if kind in comments}
    return {(type_, name, xmlid, src)}


class TestFrenchTranslations(SuiteTagsMixin, TransactionCase):
    def test_every_term_translated_in_french(self):
        for addon in B2B_ADDONS:
            with self.subTest(addon=addon):
                terms = set()
                for module, type_, name, res_id, src, _value, comments in TranslationModuleReader(
                    self.env.cr, modules=[addon]
                ):
                    if module == addon and src.strip():
                        terms |= _key(type_, name, res_id, src, comments)
                po_path = ADDONS_DIR / addon / "i18n" / "fr.po"
                loaded = set()
                if po_path.exists():
                    for row in PoFileReader(str(po_path)):
                        if row["value"].strip():
                            xmlid = f"{row['module']}.{row['imd_name']}" if row["type"] != "code" else None
                            loaded |= _key(row["type"], row["name"], xmlid, row["src"], row["comments"])
                missing = sorted(terms - loaded, key=str)
                self.assertFalse(
                    missing,
                    f"{addon}: {len(missing)} terms Odoo would not load in French from i18n/fr.po "
                    f"(untranslated, or an entry without its occurrence): {missing[:15]}",
                )
