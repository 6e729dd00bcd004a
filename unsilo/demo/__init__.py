"""The bundled demo shop: a generated webshop served on 127.0.0.1 for demos, tests and benchmarks.

>>> shop = DemoShop(pages=30, seed=1)
>>> next(shop.paths())
'/'
"""

from unsilo.demo.server import DemoServer, serve_forever
from unsilo.demo.shop import DemoResponse, DemoShop

__all__ = ["DemoResponse", "DemoServer", "DemoShop", "serve_forever"]
