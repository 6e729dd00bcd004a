"""A spider's ``-a`` arguments that cannot be read end the crawl with one clear line.

``scrapy crawl`` builds the spider inside its event loop, so a ``ValueError`` raised in
``__init__`` (``-a pages=@missing.json``, a malformed JSON list, a shop's ``-a url=ftp://…``)
prints as "Task exception was never retrieved" with two tracebacks and no reason anywhere.
A spider that reads its
arguments through ``CheckedArguments.read_arguments`` keeps the problem instead; its
``start`` calls ``refuse_bad_arguments`` first, which logs the problem as one line, notes it
in the crawl's stats (``ARGUMENT_ERROR``: ``unsilo.crawl`` records it as the step's error)
and closes the spider with ``bad argument: <the problem>`` as the reason; the run's judge
(``pipeline.runs``) reads that reason as a failed run, since nothing was asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.exceptions import CloseSpider

from unsilo.pipeline.runs import BAD_ARGUMENT

ARGUMENT_ERROR = "unsilo/argument_error"
"""Stats key of the unreadable argument's one-line message."""


class CheckedArguments:
    """Mixin (before ``scrapy.Spider``) for spiders whose arguments can be bad."""

    argument_error: str | None = None
    logger: Any
    crawler: Any

    def read_arguments(self, read: Callable[[], None]) -> None:
        """Run ``read`` (which sets the spider's attributes from its arguments); a
        ``ValueError`` it raises is kept for ``refuse_bad_arguments``."""
        try:
            read()
        except ValueError as exc:
            lines = str(exc).strip().splitlines()
            self.argument_error = lines[0] if lines else type(exc).__name__

    def refuse_bad_arguments(self) -> None:
        """Close the spider, before it asks anything, if an argument could not be read."""
        if self.argument_error is None:
            return
        self.logger.error("%s%s", BAD_ARGUMENT, self.argument_error)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(ARGUMENT_ERROR, self.argument_error)
        raise CloseSpider(f"{BAD_ARGUMENT}{self.argument_error}")
