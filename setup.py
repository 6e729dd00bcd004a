"""Only for ``scrapyd-deploy``: every fact about the package lives in pyproject.toml.

scrapyd-deploy builds its egg with ``python setup.py bdist_egg`` and, when no setup.py
exists, writes one of its own into the checkout (``name='project'``,
``packages=find_packages()``). This one makes the egg come from pyproject.toml alone:
the ``unsilo.*`` packages with their SQL and templates, and the ``scrapy`` settings
entry point that Scrapyd needs.
"""

from setuptools import setup

setup()
