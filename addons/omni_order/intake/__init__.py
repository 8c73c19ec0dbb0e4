"""Order intake core: parsers from channel formats to plain ``OrderDraft`` data.

Plain Python, no ORM (see ARCHITECTURE.md, "Where logic lives"). Each format module exposes
``parse(data: bytes, **options) -> list[OrderDraft]`` and raises ``IntakeError`` for input it
cannot read. Mapping drafts to partners, products and prices is the ORM side's job
(``omni.intake``), never a parser's guess.
"""

from .base import IntakeError, LineDraft, OrderDraft, PartyDraft, check_size
