"""unsilo: social-signal SEO auditor for webshops."""

__version__ = "0.1.0"
