"""Your own posts in the timeline at once, and a cross-post as one row.

When the outbox has sent jobs, the posts the servers returned (each job keeps its own) go
into every column that shows the publishing account, the unified home and that account's
column, at once: no refresh, no "N new posts" bar. The jobs come from every outbox run of the
process, whoever started it (``Session.watch_sent``: the composer's pump, an answer from the
inbox, approved and scheduled posts). A job reported twice is shown once. The next refresh
brings the same posts (same uri) and updates them in place, never a second row.

Which posts came from one submission is read from the outbox (``OutboxService.cross_posts``)
when the timeline starts, on each refresh and after each send, and given to every column: a
cross-post is one row, "published on N accounts" with the accounts' chips, unless "Group
cross-posts" is off (``TimelineView``, saved in timeline.ini).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QObject

from paris_desk.core.model import Post
from paris_desk.services.outbox import Job, JobState
from paris_desk.services.workers import TaskManager
from paris_desk.ui.lifetime import while_alive
from paris_desk.ui.timeline.column import TimelineColumn

log = logging.getLogger(__name__)

Groups = dict[str, tuple[str, str]]  # post uri -> (group, publishing account)


def published_posts(jobs: Sequence[Job]) -> list[Post]:
    """The posts that SENT jobs made, as their account's timeline would show them. A native
    Mastodon scheduled status is not a post yet: left out."""
    posts = []
    for job in jobs:
        post = job.result
        if job.state is not JobState.SENT or post is None or job.request.scheduled_at:
            continue
        posts.append(replace(post, seen_by=(job.account_id,),
                             origin_account=post.origin_account or job.account_id))
    return posts


class OwnPosts(QObject):
    def __init__(self, tasks: TaskManager, columns: Callable[[], list[TimelineColumn]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._columns = columns
        self.load_groups: Callable[[], Groups] | None = None  # desk.outbox.cross_posts
        self.groups: Groups = {}
        self.grouping = True
        self._shown: set[tuple[str, int]] = set()  # (batch, job id) of the jobs shown

    def prepare(self, column: TimelineColumn) -> None:
        """A new column groups as the others do."""
        column.model.set_grouping(self.grouping)
        column.model.set_cross_posts(self.groups)

    def set_grouping(self, on: bool) -> None:
        self.grouping = on
        for column in self._columns():
            column.model.set_grouping(on)

    def reload(self, then: Callable[[], None] = lambda: None) -> None:
        """Read the cross-posts again (database thread), give them to the columns, then
        ``then()``, whatever the read gave."""
        if self.load_groups is None:
            then()
            return

        def done(groups: Groups) -> None:
            self._set(groups)
            then()

        def failed(exc: Exception) -> None:
            log.warning("cannot read the cross-posts from the outbox: %s", exc)
            then()

        self._tasks.run_db(self.load_groups, while_alive(self, done), while_alive(self, failed))

    def show_sent(self, jobs: Sequence[Job]) -> None:
        """Jobs just sent: their posts in the columns of their accounts, grouped; a job
        already shown is not shown again."""
        fresh = [job for job in jobs if (job.batch_id, job.id) not in self._shown]
        posts = published_posts(fresh)
        self._shown.update((job.batch_id, job.id) for job in fresh
                           if job.state is JobState.SENT)
        if posts:
            self.reload(lambda: self._insert(posts))

    def _set(self, groups: Groups) -> None:
        fresh = {uri: group for uri, group in groups.items() if self.groups.get(uri) != group}
        self.groups = dict(groups)
        if fresh:
            for column in self._columns():
                column.model.set_cross_posts(fresh)

    def _insert(self, posts: list[Post]) -> None:
        for column in self._columns():
            column.show_own(posts)
