"""The data model: the event table (:class:`Events`), its columns and their checks (``schema``), the sides
(``sides``), the escalation ladder (``ladder``) and incidents (``incidents``). Reading files is ``escalation.io``'s
work; everything here takes tables already in memory."""

from .table import Events

__all__ = ["Events"]
