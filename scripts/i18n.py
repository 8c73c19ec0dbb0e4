"""Export each Omni module's terms to i18n/<module>.pot and merge them into i18n/de.po.

Existing German translations are kept, new terms are added with an empty msgstr, terms that
no longer exist are dropped. Prints what is still untranslated. Run through
``scripts/omni.sh i18n [MODULE ...]`` (it needs a database where the modules are installed).
"""

import argparse
import io
import pathlib
import sys

import polib

import odoo
from odoo.tools.translate import trans_export

ROOT = pathlib.Path(__file__).resolve().parent.parent


def export_pot(env, module):
    buffer = io.BytesIO()
    trans_export(None, [module], buffer, "po", env.cr)
    return polib.pofile(buffer.getvalue().decode())


def merge(pot, po_path, module):
    old = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    known = {(e.msgctxt, e.msgid): e for e in old}
    new = polib.POFile()
    new.metadata = {
        "Project-Id-Version": "Odoo Server 18.0",
        "Last-Translator": "",
        "Language-Team": "German",
        "Language": "de",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    new.header = (
        "Translation of Odoo Server.\n"
        f"This file contains the translation of the following modules:\n\t* {module}\n#"
    )
    missing = []
    for entry in pot:
        prev = known.get((entry.msgctxt, entry.msgid))
        entry.msgstr = prev.msgstr if prev else ""
        if not entry.msgstr:
            missing.append(entry.msgid)
        new.append(entry)
    new.save(str(po_path))
    return missing


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("modules", nargs="*")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    modules = args.modules or sorted(p.name for p in (ROOT / "addons").iterdir() if p.is_dir())
    registry = odoo.registry(args.database)
    status = 0
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        for module in modules:
            i18n = ROOT / "addons" / module / "i18n"
            i18n.mkdir(exist_ok=True)
            pot = export_pot(env, module)
            pot.save(str(i18n / f"{module}.pot"))
            missing = merge(pot, i18n / "de.po", module)
            print(f"{module}: {len(pot)} terms, {len(missing)} untranslated in de.po")
            for msgid in missing:
                print(f"    {msgid[:100]!r}")
            status |= bool(missing)
    return status


if __name__ == "__main__":
    sys.exit(main())
