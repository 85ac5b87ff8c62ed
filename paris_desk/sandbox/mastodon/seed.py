"""A few days of a city's Mastodon life, generated from the corpus (deterministic per seed).

Two city accounts (local) follow each other and about thirty authors, some local, most on
other servers. Their timelines hold posts with links, hashtags, mentions, images with alt
text, threads, boosts, quotes and a handful of hostile HTML bodies that a client must
sanitise. Each city account gets notifications of every kind.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from .. import corpus
from .compose import WEB_APP, Composer, Draft
from .core import group_key
from .state import Account, App, Media, Status, Token, snowflake
from .text import link_html

DOMAINS = ("piaille.example", "mastodon.example", "social.example")
SLOTS = 340
DAYS = 4

HOSTILE = [
    "<p>Concours photo du quartier !<script>alert('vol de session')</script> "
    "Participez <a href=\"javascript:alert(document.cookie)\">ici</a>.</p>",
    "<p>Notre affiche : <img src=\"https://tracker.example/pixel.gif\" "
    "onerror=\"alert(1)\" width=\"1\" height=\"1\"> à partager !</p>",
    "<p><a href=\"https://phishing.example/connexion\" style=\"position:fixed;top:0;left:0\">"
    "https://www.paris.fr/connexion</a> pour valider votre compte."
    "<iframe src=\"https://evil.example/frame\"></iframe></p>",
    "<p onclick=\"steal()\">Texte <b>gras</b>, <span style=\"font-size:90px\">énorme</span>"
    "<style>body{display:none}</style> et <a href=\"data:text/html;base64,PHNjcmlwdD4=\">"
    "une pièce jointe</a>.</p>",
    "<p>Facture_\u202efdp.exe disponible <a href=\"vbscript:msgbox(1)\">ici</a> "
    "<form action=\"https://evil.example\"><input name=\"mdp\"></form></p>",
]
CW = ["Travaux et bruit", "Pollution", "Santé", "Politique locale"]
CARD_TITLES = ["Agenda de la ville", "Nuit Blanche 2026", "Programme complet (PDF)",
               "Info travaux", "Budget participatif : les projets"]


def seed(server: Composer) -> None:
    rng = random.Random(server.seed)
    now = server.anchor  # the same data, ids included, for the same seed and anchor
    city = _make_accounts(server, rng, now)
    _make_tokens(server, rng, city)
    times = sorted(now - timedelta(seconds=rng.uniform(120, DAYS * 86400)) for _ in range(SLOTS))
    authors = [a for a in server.users.values() if a.id not in {c.id for c in city}]
    hostile_slots = {SLOTS - 3 - 23 * k: k for k in range(len(HOSTILE))}
    for i, at in enumerate(times):
        if i in hostile_slots:
            _hostile(server, rng, at, authors, hostile_slots[i])
        else:
            _one_slot(server, rng, at, city, authors)
    _follows_and_updates(server, rng, now, city, authors)
    _renumber_notifications(server)


def _make_accounts(server: Composer, rng: random.Random, now: datetime) -> list[Account]:
    city: list[Account] = []
    names: list[tuple[str, str, str | None]] = [(u, d, None) for u, d in corpus.CITY_ACCOUNTS]
    names += [(u, d, None if "." not in u else DOMAINS[i % len(DOMAINS)])
              for i, (u, d) in enumerate(corpus.AUTHOR_NAMES)]
    for i, (username, display, domain) in enumerate(names):
        created = now - timedelta(days=400 + 37 * i, hours=rng.randrange(24))
        acc = Account(
            id=str(snowflake(created, i)), username=username, domain=domain,
            display_name=display, note=_note(username, domain), created_at=created,
            avatar_seed=1000 + i, bot=username in ("trafic.info", "meteo.locale"),
            extra_followers=rng.randrange(20, 4000), extra_following=rng.randrange(5, 300),
        )
        if domain is None and i < len(corpus.CITY_ACCOUNTS):
            acc.fields = [{"name": "Site", "value": link_html("https://www.paris.fr"),
                           "verified_at": None}]
            city.append(acc)
        server.users[acc.id] = acc
        server.by_acct[acc.acct.lower()] = acc.id
    for acc in server.users.values():
        for c in city:
            if acc.id != c.id:
                c.following.add(acc.id)
                acc.followers.add(c.id)
                acc.following.add(c.id)
                c.followers.add(acc.id)
    return city


def _note(username: str, domain: str | None) -> str:
    if domain is None:
        return f"<p>Compte {username} (bac à sable). Informations de service public.</p>"
    return f"<p>Habitant·e, curieux·se de la vie locale. Sur {domain}.</p>"


def _make_tokens(server: Composer, rng: random.Random, city: list[Account]) -> None:
    def secret() -> str:
        return "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyz_-") for _ in range(43))

    scopes = ["read", "write", "follow", "push"]
    app = App(id="1", name="Paris Desk", website=None, redirect_uris=["urn:ietf:wg:oauth:2.0:oob"],
              scopes=scopes, client_id=secret(), client_secret=secret(), vapid_key="")
    server.apps[app.client_id] = app
    for acc in city:
        token = secret()
        server.tokens[token] = Token(token, acc.id, app.id, scopes, acc.created_at)
        server.accounts.append({"acct": acc.acct, "username": acc.username, "id": acc.id,
                                "access_token": token, "display_name": acc.display_name})


def _one_slot(server: Composer, rng: random.Random, at: datetime, city: list[Account],
              authors: list[Account]) -> None:
    live = [s for s in server.statuses.values() if s.reblog_of is None and not s.deleted]
    roll = rng.random()
    if roll < 0.22 and live:
        _reply(server, rng, at, city, authors, live)
    elif roll < 0.32 and live:
        booster = rng.choice(authors + city)
        original = rng.choice(_recent_first(live, city, rng))
        if original.visibility in ("public", "unlisted") and original.account_id != booster.id:
            server.create_reblog(booster, original, at)
    elif roll < 0.37 and live:
        quoter = rng.choice(authors)
        quoted = rng.choice(_recent_first(live, city, rng))
        if quoted.visibility == "public" and quoted.account_id != quoter.id:
            text = rng.choice(["Bonne initiative, à suivre !", "Enfin ! Depuis le temps…",
                               "Je relaie, c'est important."])
            _post(server, quoter, Draft(text, at, quote_of=quoted))
    elif roll < 0.52:
        _original(server, rng, at, rng.choice(city), city)
    else:
        _original(server, rng, at, rng.choice(authors), city)


def _recent_first(live: list[Status], city: list[Account], rng: random.Random) -> list[Status]:
    pool = live[-40:]
    city_ids = {c.id for c in city}
    favoured = [s for s in pool if s.account_id in city_ids]
    return favoured if favoured and rng.random() < 0.7 else pool


def _post(server: Composer, author: Account, draft: Draft) -> Status:
    if author.local:
        draft.application = WEB_APP
    return server.create_status(author, draft)


def _original(server: Composer, rng: random.Random, at: datetime, author: Account,
              city: list[Account]) -> None:
    sample = corpus.sample_text(rng)
    text = sample.text
    if rng.random() < 0.3:
        other = rng.choice([c for c in city if c.id != author.id])
        text = f"{text} avec @{other.acct}" if author.local else f"@{other.acct} {text}"
    draft = Draft(text, at, language="fr" if rng.random() < 0.95 else "en")
    roll = rng.random()
    if roll < 0.08:
        draft.visibility = "unlisted"
    elif roll < 0.11:
        draft.visibility = "private"
    if rng.random() < 0.06:
        draft.spoiler_text = rng.choice(CW)
    if sample.links and rng.random() < 0.5:
        draft.card = _card(rng, sample.links[0])
    st = _post(server, author, draft)
    if rng.random() < (0.35 if author.id in {c.id for c in city} else 0.12):
        _attach_images(server, rng, st, author, rng.choice([1, 1, 1, 2, 4]))
    _favourites(server, rng, st, at, city)


def _reply(server: Composer, rng: random.Random, at: datetime, city: list[Account],
           authors: list[Account], live: list[Status]) -> None:
    parent = rng.choice(_recent_first(live, city, rng))
    if parent.visibility not in ("public", "unlisted"):
        return
    parent_author = server.users[parent.account_id]
    city_reply = parent_author.id not in {c.id for c in city} and rng.random() < 0.3
    replier = rng.choice(city if city_reply else authors)
    if replier.id == parent.account_id:
        replier = rng.choice(authors)
    text = f"@{parent_author.acct} {corpus.sample_reply(rng)}"
    st = _post(server, replier, Draft(text, at, reply_to=parent))
    _favourites(server, rng, st, at, city)


def _attach_images(server: Composer, rng: random.Random, st: Status, author: Account,
                   count: int) -> None:
    for n in range(count):
        width, height = rng.choice([(480, 320), (320, 480), (400, 400)])
        mid = str(snowflake(st.created_at - timedelta(seconds=30), n + 1))
        pic_seed = rng.randrange(1 << 30)
        alt = corpus.sample_alt(rng) if rng.random() < 0.85 else None
        server.media[mid] = Media(
            id=mid, account_id=author.id, kind="image", mime="image/png", width=width,
            height=height, created_at=st.created_at, description=alt, seed=pic_seed,
            status_id=st.id, blurhash=solid_blurhash(pic_seed),
            focus=(0.0, 0.25) if n == 0 and rng.random() < 0.3 else None,
        )
        st.media_ids.append(mid)


def _favourites(server: Composer, rng: random.Random, st: Status, at: datetime,
                city: list[Account]) -> None:
    city_ids = {c.id for c in city}
    if st.account_id in city_ids:
        fans = rng.sample([a for a in server.users.values() if a.id != st.account_id],
                          rng.randrange(2, 6))
        for fan in fans:
            later = at + timedelta(minutes=rng.uniform(1, 300))
            server.favourite(fan, st, min(later, server.now()))
    else:
        st.extra_favourites = rng.randrange(0, 40)
        st.extra_reblogs = rng.randrange(0, 12)
        if rng.random() < 0.15:
            server.favourite(rng.choice(city), st, at + timedelta(minutes=5))


def _card(rng: random.Random, url: str) -> dict[str, object]:
    return {
        "url": url, "title": rng.choice(CARD_TITLES),
        "description": "Toutes les informations pratiques sur le site de la ville.",
        "language": "fr", "type": "link", "author_name": "", "author_url": "",
        "provider_name": "", "provider_url": "", "html": "", "width": 0, "height": 0,
        "image": None, "image_description": "", "embed_url": "", "blurhash": None,
        "published_at": None, "authors": [],
    }


def _hostile(server: Composer, rng: random.Random, at: datetime, authors: list[Account],
             index: int) -> None:
    remote = [a for a in authors if not a.local]
    draft = Draft("", at, content=HOSTILE[index])
    if index == 2:
        draft.card = _card(rng, "https://phishing.example/connexion")
        draft.card["html"] = "<iframe src=\"https://evil.example/embed\"></iframe>"
    server.create_status(remote[index % len(remote)], draft)


def _follows_and_updates(server: Composer, rng: random.Random, now: datetime,
                         city: list[Account], authors: list[Account]) -> None:
    for c in city:
        for follower in rng.sample(authors, 12):
            server.notify(c.id, "follow", follower.id, None,
                          now - timedelta(seconds=rng.uniform(60, DAYS * 86400)))
    ville, culture = city[0], city[1]
    for st in sorted(server.statuses.values(), key=lambda s: s.num):
        if st.account_id == culture.id and st.reblog_of is None and st.in_reply_to_id is None:
            server.notify(ville.id, "status", culture.id, st, st.created_at)
    city_ids = {c.id for c in city}
    boosts = [s for s in server.statuses.values() if s.reblog_of and s.account_id in city_ids
              and server.statuses[s.reblog_of].account_id not in city_ids]
    for boost in [next(b for b in boosts if b.account_id == c.id) for c in city
                  if any(b.account_id == c.id for b in boosts)]:
        original = server.statuses[boost.reblog_of or ""]
        original.edited_at = min(now, original.created_at + timedelta(hours=2))
        original.content = original.content.replace("</p>", " (modifié)</p>", 1)
        server.notify(boost.account_id, "update", original.account_id, original,
                      original.edited_at)


def _renumber_notifications(server: Composer) -> None:
    server.notifications.sort(key=lambda n: n.created_at)
    for n, note in enumerate(server.notifications, start=1):
        note.id = 31_000_000 + n
        note.group_key = group_key(note, server.statuses.get(note.status_id or ""))
    server._next_notification = 31_000_000 + len(server.notifications)


_B83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"


def solid_blurhash(pic_seed: int) -> str:
    """A valid 1x1-component BlurHash of the base colour ``corpus.png_image`` paints."""
    rng = random.Random(pic_seed)
    r, g, b = (rng.randrange(40, 220) for _ in range(3))
    value = (r << 16) | (g << 8) | b
    return "00" + "".join(_B83[(value // 83 ** (3 - i)) % 83] for i in range(4))
