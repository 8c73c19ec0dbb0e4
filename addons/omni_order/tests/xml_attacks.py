"""Hostile openTRANS documents, built in code from the valid sample.

They are not committed as sample files on purpose: a file that is not well-formed XML (an
undefined entity, an entity-expansion bomb) breaks every tool that reads the repository's
XML. Each keeps its DTD on line 2, where the parser's error points.
"""

import pathlib

SAMPLE = pathlib.Path(__file__).resolve().parent / "samples" / "opentrans_order.xml"
BUYER_NAME = "Warenhaus Schäfer KG"


def _with_dtd(declarations, reference):
    declaration, rest = SAMPLE.read_text(encoding="utf-8").split("\n", 1)
    body = "\n".join(f"  {d}" for d in declarations)
    dtd = f"<!DOCTYPE ORDER [\n{body}\n]>"
    return "\n".join([declaration, dtd, rest.replace(BUYER_NAME, reference, 1)]).encode()


def external_entity(uri="file:///etc/passwd"):
    """XXE: the buyer's name is an external entity that would read ``uri``."""
    return _with_dtd([f'<!ENTITY secret SYSTEM "{uri}">'], "&secret;")


def billion_laughs(levels=10):
    """Entity expansion: ten levels of ten references each (10^10 'lol')."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    ]
    return _with_dtd(entities, f"&lol{levels - 1};")
