"""The news and Reddit sources are registered under their names and say how to pace them."""

from __future__ import annotations

import doctest

import pytest

from unsilo.signals import facts, paging
from unsilo.signals.registry import (
    DEFAULT_SOURCES,
    OPT_IN_SOURCES,
    missing_secrets,
    secrets_of,
    source_module,
)


@pytest.mark.parametrize("name", ["hackernews", "lobsters", "arctic_shift", "reddit"])
def test_source_resolves_with_its_name_pace_and_docstring(name):
    module = source_module(name)
    assert name == module.SOURCE
    assert module.DELAY >= 0.5 and len(module.__doc__ or "") > 400
    assert (name in OPT_IN_SOURCES) == (name in ("lobsters", "arctic_shift"))
    assert name in DEFAULT_SOURCES + OPT_IN_SOURCES


def test_tokenless_sources_never_need_a_token():
    for name in ("hackernews", "lobsters", "arctic_shift"):
        module = source_module(name)
        assert module.SECRETS == () and missing_secrets(module, {}) == []


def test_reddit_reads_only_its_own_variables_from_the_environment():
    module = source_module("reddit")
    environ = {"UNSILO_REDDIT_TOKEN": "t", "UNSILO_BLUESKY_APP_PASSWORD": "p", "HOME": "/"}
    assert secrets_of(module, environ) == {"UNSILO_REDDIT_TOKEN": "t"}
    assert missing_secrets(module, {}) == ["UNSILO_REDDIT_TOKEN"]


@pytest.mark.parametrize("module", [facts, paging])
def test_the_shared_readers_do_what_their_examples_say(module):
    failed, tried = doctest.testmod(module)
    assert tried > 0 and failed == 0
