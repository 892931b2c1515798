"""The document-control lifecycle: releases, digests, states, verification, the register, redlines.

`release` freezes a revision in releases/; `digest` says what "the same file" means;
`states` works out which revision is in force and which are superseded; `verify` checks
releases/ and the published files against their digests; `register` is the master list;
`review` the periodic review dates; `redline` compares two revisions as tracked changes.
"""
