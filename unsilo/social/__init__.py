"""Social platforms: pure adapters over public API responses, and a local fake of those APIs.

Adapters never make requests: a spider fetches, hands the body to an adapter, and gets items
plus the next page back (``adapter.py`` is that interface, ``registry.py`` says which module
reads which platform). That keeps every platform testable from saved responses.
"""
