"""One ``Author`` object for equal authors, across pages, accounts and networks' converters.

A timeline of 10,000 posts names a few hundred people. Each converted post used to carry its
own ``Author`` (and its own copies of the handle, name and avatar URL): 10,000 more objects
for the cyclic garbage collector to walk at every full collection, which runs inside some
event-loop pass (issue 14: about 10 % of the ~95,000 tracked objects at 10,000 posts), and
some 3 MiB of strings. ``Author`` is frozen: sharing one object is invisible to its users.

Bounded: past ``MAX_AUTHORS`` distinct authors the table starts again (posts keep theirs).
Thread-safe: ``dict.setdefault`` is atomic, and a lost race only costs a duplicate.
"""

from __future__ import annotations

from paris_desk.core.model import Author

MAX_AUTHORS = 20_000
_shared: dict[Author, Author] = {}


def shared(author: Author) -> Author:
    """The one object equal to ``author`` (``author`` itself the first time)."""
    found = _shared.get(author)
    if found is not None:
        return found
    if len(_shared) >= MAX_AUTHORS:
        _shared.clear()
    return _shared.setdefault(author, author)
