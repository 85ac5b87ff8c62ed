"""Status HTML as the converters read it (``channels/mastodon/html.py``): the markup nh3 writes
is walked without HTMLParser; entities, empty tags, attributes and stray brackets come out as
the stdlib parser gave them."""

from __future__ import annotations

from paris_desk.channels.mastodon.html import render
from paris_desk.core.model import TextSpan


def test_entities_are_text_in_the_plain_text_and_escaped_in_the_html() -> None:
    rich = render("<p>Tom &amp; Jerry &lt;3 &#39;été&#39; &eacute;&nbsp;!</p>")

    assert rich.text == "Tom & Jerry <3 'été' é\xa0!"
    assert rich.html == "<p>Tom &amp; Jerry &lt;3 'été' é\xa0!</p>"


def test_a_link_keeps_its_unescaped_address_and_a_mention_its_kind() -> None:
    rich = render(
        '<p><a href="https://paris.fr/a?b=1&amp;c=2">paris.fr/a</a> '
        '<span class="h-card"><a href="https://m.example/@ville" class="u-url mention">'
        "@<span>ville</span></a></span><br/>fin</p>"
    )

    assert rich.spans == (
        TextSpan("paris.fr/a", "https://paris.fr/a?b=1&c=2", "link"),
        TextSpan(" "),
        TextSpan("@ville", "https://m.example/@ville", "mention"),
        TextSpan("\nfin"),
    )
    assert 'href="https://paris.fr/a?b=1&amp;c=2"' in rich.html


def test_comments_scripts_and_stray_brackets_never_reach_the_text() -> None:
    rich = render("<!-- note --><p>a < b > c</p><script>alert(1)</script><p>d</p>")

    assert rich.text == "a < b > c\n\nd"
    assert "script" not in rich.html and "note" not in rich.html
