"""Thai PDF toolkit: line breaking, an extractable shaped font, the receipt stamp, the register book.

Heavy dependencies (pyHanko, HarfBuzz, fontTools, pythainlp) are imported by the modules, not here,
so importing this package costs nothing; only the PDF paths load them.
"""
