"""Who shares and discusses the shop's pages: one adapter per public source, pure and
fixture-tested, driven by the ``signals`` spider (``unsilo.spiders.signals``)."""
