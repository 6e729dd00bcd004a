"""``JOBDIR`` names unsilo's job folder, never Scrapy's request queue.

A resume trusts only what was stored (``unsilo.pipeline.resume``). Scrapy's disk queue and
seen-file mark a URL seen when it is scheduled, and a hard kill leaves them half written:
pages fetched but not stored would never be fetched again, and requests restored from the
queue would be fetched (and stored) twice. So every spider moves ``JOBDIR`` to
``UNSILO_JOBDIR`` when Scrapy asks it to ``update_settings``.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES


def move_jobdir(settings: Any) -> None:
    """``JOBDIR`` → ``UNSILO_JOBDIR``, and Scrapy's own ``JOBDIR`` off.

    >>> from scrapy.settings import Settings
    >>> settings = Settings({"JOBDIR": "crawls/shop-1"}, priority="cmdline")
    >>> move_jobdir(settings)
    >>> settings["JOBDIR"], settings["UNSILO_JOBDIR"]
    (None, 'crawls/shop-1')
    """
    jobdir = settings.get("JOBDIR")
    if not jobdir:
        return
    priority = settings.getpriority("JOBDIR")
    settings.set("UNSILO_JOBDIR", jobdir, priority=priority)
    # one above any named priority: `scrapy crawl` and the CLI hand Scrapy (2.19) a crawler
    # whose settings get the runner's merged in again after update_settings, each at its
    # own priority, and there an equal priority wins
    settings.set("JOBDIR", None, priority=max(priority, SETTINGS_PRIORITIES["cmdline"]) + 1)
