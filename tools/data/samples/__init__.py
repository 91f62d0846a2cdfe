"""Generators of the bundled sample sets, one module per set (``tools/data/make_samples.py``
runs them all); ``imaging`` holds what they share."""
