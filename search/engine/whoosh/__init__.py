"""The Whoosh engine: our index format and evaluator on top of Whoosh 2.7.4 (engine.py is
the Engine protocol; index.py the open index, search core and writer)."""
