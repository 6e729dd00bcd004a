"""Every stored item type names one table, and no two types claim the same one.

Two branches once each added a robots.txt item with the table ``robots_txt``; merged, the
type list held the survivor twice, and a second type of that name would have routed rows
of one shape into a table of another.
"""

from __future__ import annotations

from collections import Counter

from unsilo.items import ITEM_TYPES
from unsilo.signals.items import SIGNAL_ITEM_TYPES
from unsilo.social.items import SOCIAL_ITEM_TYPES


def test_each_item_type_is_listed_once_and_owns_its_table() -> None:
    types = (*ITEM_TYPES, *SOCIAL_ITEM_TYPES, *SIGNAL_ITEM_TYPES)
    assert [t for t, n in Counter(types).items() if n > 1] == []
    tables = Counter(t.TABLE for t in types)
    assert [table for table, n in tables.items() if n > 1] == []
