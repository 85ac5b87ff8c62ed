"""Cross-posts: one submission published on several of your accounts, shown as one row.

The outbox knows which server posts came from one submission and part (a thread's part N):
``OutboxService.cross_posts`` maps each such post's uri to its group and the account that
published it. While grouping is on, a
column shows the first member that reached it (the lead) as the row, and keeps the others here,
"absorbed": the lead's row names them ("published on N accounts" and their chips). A member that
comes again (a refresh) updates what is kept, never adds a row. Turning grouping off gives the
absorbed members back as rows of their own.

Plain bookkeeping for ``TimelineModel``, which does the row insertions and removals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from paris_desk.core.merge import merge
from paris_desk.core.model import Post


class CrossPosts:
    def __init__(self) -> None:
        self.enabled = True
        self._group_of: dict[str, str] = {}  # uri -> group (known from the outbox)
        self._account_of: dict[str, str] = {}  # uri -> the account that published it
        self._lead: dict[str, str] = {}  # group -> uri of the member shown as the row
        self._absorbed: dict[str, dict[str, Post]] = {}  # group -> uri -> member without a row

    def learn(self, groups: Mapping[str, tuple[str, str]]) -> None:
        """More posts known to belong to one submission: uri -> (group, publishing account)."""
        for uri, (group, account_id) in groups.items():
            self._group_of[uri] = group
            self._account_of[uri] = account_id

    def group_of(self, post: Post) -> str | None:
        """The group of ``post`` when it is grouped now (never a repost of it)."""
        if not self.enabled or post.repost_by is not None:
            return None
        return self._group_of.get(post.uri)

    def is_absorbed(self, uri: str) -> bool:
        group = self._group_of.get(uri)
        return group is not None and uri in self._absorbed.get(group, {})

    def take(self, posts: Iterable[Post]) -> tuple[list[Post], set[str]]:
        """Of ``posts`` arriving in a model, those that are (or become) rows; the others are
        absorbed by their group's lead. Also the uris of the leads whose members changed."""
        rows: list[Post] = []
        changed: set[str] = set()
        for post in posts:
            group = self.group_of(post)
            if group is None:
                rows.append(post)
                continue
            lead = self._lead.setdefault(group, post.uri)
            if lead == post.uri:
                rows.append(post)
                continue
            members = self._absorbed.setdefault(group, {})
            held = members.get(post.uri)
            members[post.uri] = post if held is None else merge((held,), (post,)).posts[0]
            changed.add(lead)
        return rows, changed

    def absorb_rows(self, posts: Sequence[Post]) -> tuple[list[int], set[str]]:
        """Rows of ``posts`` (a model's rows) to take out now that their group is known: the
        first member of each group stays as its lead. Returns those row numbers (ascending)
        and the uris of the leads that gained members."""
        remove: list[int] = []
        changed: set[str] = set()
        for row, post in enumerate(posts):
            group = self.group_of(post)
            if group is None:
                continue
            lead = self._lead.setdefault(group, post.uri)
            if lead != post.uri:
                self._absorbed.setdefault(group, {})[post.uri] = post
                remove.append(row)
                changed.add(lead)
        return remove, changed

    def release_all(self) -> tuple[list[Post], set[str]]:
        """Grouping goes off: every absorbed member (to become a row again), and the uris of
        the leads that had members."""
        posts = [post for members in self._absorbed.values() for post in members.values()]
        leads = {self._lead[group] for group, members in self._absorbed.items() if members}
        self.clear()
        return posts, leads

    def update(self, post: Post) -> str | None:
        """Replace an absorbed member (an action's result); the uri of its lead, or None."""
        group = self._group_of.get(post.uri)
        members = self._absorbed.get(group, {}) if group is not None else {}
        if post.uri not in members or group is None:
            return None
        members[post.uri] = post
        return self._lead.get(group)

    def members(self, lead: Post) -> tuple[Post, ...]:
        """The members ``lead``'s row stands for, besides itself (empty: not a lead)."""
        group = self.group_of(lead)
        if group is None or self._lead.get(group) != lead.uri:
            return ()
        return tuple(self._absorbed.get(group, {}).values())

    def accounts(self, lead: Post) -> tuple[str, ...]:
        """The accounts a grouped row was published on, the row's own first; empty for a row
        that stands for no other post."""
        others = self.members(lead)
        if not others:
            return ()
        ids = [self._account_of.get(p.uri, "") for p in (lead, *others)]
        return tuple(dict.fromkeys(a for a in ids if a))

    def forget_rows(self, uris: set[str]) -> list[str]:
        """Rows ``uris`` left the model (unloaded): their groups start again when they come
        back. Returns the uris of the members dropped with them."""
        dropped: list[str] = []
        for group in [g for g, lead in self._lead.items() if lead in uris]:
            del self._lead[group]
            dropped.extend(self._absorbed.pop(group, {}))
        return dropped

    def clear(self) -> None:
        """The model emptied: no lead, nothing absorbed (the known groups stay)."""
        self._lead.clear()
        self._absorbed.clear()
