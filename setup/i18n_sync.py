# odoo shell: rewrite each addon's fr.po and <addon>.pot from Odoo's own term extraction
# (the occurrences Odoo needs to load a translation), keeping the French texts already
# written (by msgid). Run on a database where the addons are up to date:
#   B2B_FIX_ADDONS=addon1,addon2 B2B_ROOT=$PWD b2b_odoo shell -c CONF -d DB --no-http < setup/i18n_sync.py
# then translate the new empty msgstr; tests/test_i18n.py checks the result.
import io
import os
from pathlib import Path

import polib

from odoo.tools.translate import PoFileWriter, TranslationModuleReader

env = globals()["env"]  # given by odoo shell
root = Path(os.environ["B2B_ROOT"]) / "addons"
for addon in os.environ["B2B_FIX_ADDONS"].split(","):
    po_path = root / addon / "i18n" / "fr.po"
    french = {}
    for path in (str(po_path),):
        if os.path.exists(path):
            french.update({e.msgid: e.msgstr for e in polib.pofile(path) if e.msgstr.strip()})
    old_header = polib.pofile(str(po_path)).header
    rows, missing = [], set()
    terms = TranslationModuleReader(env.cr, modules=[addon], lang="fr_FR")
    for module, type_, name, res_id, src, _value, comments in terms:
        if module != addon or not src.strip():
            continue
        if src not in french:
            missing.add(src)
        rows.append((module, type_, name, res_id, src, french.get(src, ""), comments))
    for lang, target in (("fr_FR", po_path), (None, root / addon / "i18n" / f"{addon}.pot")):
        buffer = io.BytesIO()
        PoFileWriter(buffer, lang).write_rows(rows)
        po = polib.pofile(buffer.getvalue().decode())
        if lang:
            for entry in po:
                if not entry.msgstr and entry.msgid in french:
                    entry.msgstr = french[entry.msgid]  # the writer drops a translation equal to its source
            po.metadata["Language"] = "fr"
            po.metadata["Plural-Forms"] = "nplurals=2; plural=(n > 1);"
            po.header = old_header
        po.save(str(target))
    print(addon, "terms", len({r[4] for r in rows}), "missing", sorted(missing)[:20])
