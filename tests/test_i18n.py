"""Every user-facing string of every Omni module has a German translation in i18n/de.po."""

import io
import pathlib

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

ADDONS = pathlib.Path(__file__).resolve().parent.parent / "addons"
MODULES = ["omni_order", "omni_carrier", "omni_store_pos", "omni_loyalty"]


@tagged("post_install", "-at_install")
class TestGermanTranslations(TransactionCase):
    def test_de_po_complete(self):
        installed = set(
            self.env["ir.module.module"]
            .search([("name", "in", MODULES), ("state", "=", "installed")])
            .mapped("name")
        )
        self.assertTrue(installed, "no Omni module is installed in the test database")
        for module in sorted(installed):
            buffer = io.BytesIO()
            trans_export(None, [module], buffer, "po", self.env.cr)
            terms = {(e.msgctxt, e.msgid) for e in polib.pofile(buffer.getvalue().decode())}
            po_path = ADDONS / module / "i18n" / "de.po"
            self.assertTrue(po_path.exists(), f"{module} ships no i18n/de.po")
            translated = {
                (e.msgctxt, e.msgid) for e in polib.pofile(str(po_path)) if e.msgstr.strip()
            }
            missing = sorted(msgid for _ctx, msgid in terms - translated)
            self.assertFalse(
                missing,
                f"{module}: {len(missing)} terms have no German translation, e.g. {missing[:5]}"
                " (run scripts/omni.sh i18n to refresh de.po)",
            )
