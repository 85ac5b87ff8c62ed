"""Grouping the inbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from paris_desk.core.model import Author, Notification, NotificationKind
from paris_desk.core.notifications import group, group_key, needs_action

K = NotificationKind
T0 = datetime(2026, 6, 21, 12, 0, tzinfo=UTC)
POST_1 = "at://did:plc:ville/app.bsky.feed.post/3kaaa"
POST_2 = "at://did:plc:ville/app.bsky.feed.post/3kbbb"


def note(
    id_: str,
    kind: NotificationKind,
    minutes: float,
    who: str,
    *,
    account: str = "bluesky:ville.fr",
    subject: str = "",
    unread: bool = True,
) -> Notification:
    return Notification(
        id=id_,
        account_id=account,
        kind=kind,
        author=Author(who, user_id=f"did:plc:{who}"),
        created_at=T0 + timedelta(minutes=minutes),
        subject_uri=subject,
        unread=unread,
    )


def test_likes_of_one_post_form_one_group_with_every_author_newest_first() -> None:
    groups = group(
        [
            note("1", K.LIKE, 0, "marie", subject=POST_1),
            note("2", K.LIKE, 5, "karim", subject=POST_1),
            note("3", K.LIKE, 3, "sophie", subject=POST_1),
        ]
    )
    assert len(groups) == 1
    only = groups[0]
    assert [a.handle for a in only.authors] == ["karim", "sophie", "marie"]
    assert [n.id for n in only.notifications] == ["2", "3", "1"]
    assert (only.kind, only.subject_uri, only.count) == (K.LIKE, POST_1, 3)
    assert only.latest.id == "2"
    assert only.key == ("like", "bluesky:ville.fr", POST_1)


def test_groups_split_by_post_kind_and_account() -> None:
    groups = group(
        [
            note("1", K.LIKE, 0, "marie", subject=POST_1),
            note("2", K.LIKE, 1, "marie", subject=POST_2),  # another post
            note("3", K.REPOST, 2, "marie", subject=POST_1),  # another kind
            note("4", K.LIKE, 3, "marie", subject=POST_1, account="mastodon:ville@social"),
        ]
    )
    assert [g.latest.id for g in groups] == ["4", "3", "2", "1"]
    assert all(g.count == 1 for g in groups)


def test_mentions_replies_quotes_are_never_grouped_and_need_action() -> None:
    items = [note(str(i), kind, i, "marie") for i, kind in enumerate([K.MENTION, K.REPLY, K.QUOTE])]
    items += [note("9", K.MENTION, 9, "marie")]
    groups = group(items)
    assert [g.latest.id for g in groups] == ["9", "2", "1", "0"]
    assert all(g.needs_action and g.count == 1 for g in groups)
    assert all(needs_action(n) for n in items)
    assert not needs_action(note("x", K.LIKE, 0, "a", subject=POST_1))
    assert not needs_action(note("y", K.FOLLOW, 0, "a"))


def test_follows_are_grouped_per_day() -> None:
    groups = group(
        [
            note("1", K.FOLLOW, 0, "marie"),
            note("2", K.FOLLOW, 60, "karim"),
            note("3", K.FOLLOW, 60 * 24, "sophie"),  # the next day
        ]
    )
    assert [[a.handle for a in g.authors] for g in groups] == [["sophie"], ["karim", "marie"]]
    assert groups[1].key == ("follow", "bluesky:ville.fr", "2026-06-21")


def test_follow_days_follow_the_given_time_zone() -> None:
    late = note("1", K.FOLLOW, 11 * 60 + 30, "marie")  # 23:30 UTC = 01:30 in Paris (CEST)
    paris_summer = timezone(timedelta(hours=2))
    assert group_key(late)[2] == "2026-06-21"
    assert group_key(late, paris_summer)[2] == "2026-06-22"


def test_a_like_without_subject_stays_alone() -> None:
    groups = group([note("1", K.LIKE, 0, "marie"), note("2", K.LIKE, 1, "karim")])
    assert len(groups) == 2
    assert groups[0].subject_uri == ""


def test_duplicates_count_once_and_the_later_copy_wins() -> None:
    groups = group(
        [
            note("1", K.LIKE, 0, "marie", subject=POST_1),
            note("1", K.LIKE, 0, "marie", subject=POST_1, unread=False),  # refreshed: now read
            note("2", K.LIKE, 1, "marie", subject=POST_1, unread=False),  # liked again
        ]
    )
    assert groups[0].count == 2
    assert [a.handle for a in groups[0].authors] == ["marie"]  # one person, shown once
    assert not groups[0].unread


def test_unread_if_any_member_is_unread() -> None:
    groups = group(
        [
            note("1", K.REPOST, 0, "marie", subject=POST_1, unread=False),
            note("2", K.REPOST, 1, "karim", subject=POST_1, unread=True),
        ]
    )
    assert groups[0].unread


def test_empty_inbox() -> None:
    assert group([]) == []
