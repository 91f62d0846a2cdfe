"""Miniatures of the real datasets, in exactly the layout their official download (or the
official converter) produces: the same folder trees, file names, annotation formats and
dtypes, with a handful of samples. They exist so that every paper config can be run end to
end here (``tests/paper/``) and by a user before a long download finishes.

The content is made from the bundled real photographs and texture photographs (images) or
drawn at random (events); it tests the path, not learning. One module per dataset, each with
``write(root, seed=0) -> str`` (a one-line summary); ``tools/data/make_miniatures.py`` runs
them.
"""
