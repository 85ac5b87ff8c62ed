"""Deterministic sample data: two city accounts, the corpus authors, two weeks of French posts
with facets (UTF-8 byte offsets), images with alt text, link cards, quotes, replies, likes,
reposts and follows. Every record goes through ``RepoState.create`` so the indexes and
notifications are exactly what client writes would produce."""

from __future__ import annotations

import functools
import hashlib
import random
import re
from datetime import datetime, timedelta
from typing import Any

from paris_desk.sandbox import corpus
from paris_desk.sandbox.bluesky.repo import (
    FOLLOW,
    LIKE,
    POST,
    PROFILE,
    REPOST,
    Account,
    Record,
    RepoState,
)
from paris_desk.sandbox.bluesky.xrpc import iso, tid_for

HANDLE_SUFFIX = ".sandbox.test"
B32 = "abcdefghijklmnopqrstuvwxyz234567"
CARDS = {
    "https://www.paris.fr/pages/agenda": ("Agenda — Paris.fr", "Sorties, expositions, "
                                          "événements : tout ce qui se passe cette semaine."),
    "https://www.paris.fr/evenements/nuit-blanche": ("Nuit Blanche 2026", "Le programme "
                                                     "complet de la nuit de l'art contemporain."),
    "https://example.org/programme-2026.pdf": ("Programme 2026 (PDF)", "Le détail des "
                                               "animations, arrondissement par arrondissement."),
    "https://www.ratp.fr/travaux": ("Travaux et perturbations — RATP", "Lignes fermées, "
                                    "bus de remplacement et itinéraires conseillés."),
    "https://budgetparticipatif.example.fr/votes": ("Budget participatif : à vous de voter",
                                                    "Découvrez les projets et votez en ligne."),
}
BAD_FACET_SLOTS = (40, 90)  # two top-level posts carry facets a buggy client could write
TOKEN_RE = re.compile(r"https?://[^\s]+|#[^\s#]+|@[a-z0-9.-]+\.[a-z]+")


def did_for(handle: str) -> str:
    digest = hashlib.sha256(handle.encode()).digest()
    return "did:plc:" + "".join(B32[b % 32] for b in digest[:24])


def app_password(rng: random.Random) -> str:
    return "-".join("".join(rng.choice(B32) for _ in range(4)) for _ in range(4))


def facets_for(text: str, dids: dict[str, str]) -> list[dict[str, Any]]:
    """Link, tag and mention facets with UTF-8 byte offsets (end exclusive)."""
    facets = []
    for match in TOKEN_RE.finditer(text):
        token = match.group(0).rstrip(".,;:!?)»")
        start = len(text[: match.start()].encode("utf-8"))
        end = start + len(token.encode("utf-8"))
        if token.startswith("http"):
            feature = {"$type": "app.bsky.richtext.facet#link", "uri": token}
        elif token.startswith("#") and len(token) > 1:
            feature = {"$type": "app.bsky.richtext.facet#tag", "tag": token[1:]}
        elif token.startswith("@") and token[1:] in dids:
            feature = {"$type": "app.bsky.richtext.facet#mention", "did": dids[token[1:]]}
        else:
            continue
        facets.append({"index": {"byteStart": start, "byteEnd": end}, "features": [feature]})
    return facets


@functools.lru_cache(maxsize=32)
def _png(width: int, height: int, seed: int) -> bytes:
    return corpus.png_image(width, height, seed)


class Seeder:
    def __init__(self, repo: RepoState, seed: int, anchor: datetime) -> None:
        self.repo = repo
        self.rng = random.Random(seed)
        self.seed = seed
        self.anchor = anchor
        self.used: set[tuple[str, str, str]] = set()
        self.city: list[str] = []
        self.authors: list[str] = []
        self.dids: dict[str, str] = {}
        self.posts: list[Record] = []
        self.images: list[tuple[dict[str, Any], int, int]] = []

    def run(self) -> None:
        self._accounts()
        self._follows()
        self._posts()
        self._likes_and_reposts()

    # -- helpers ---------------------------------------------------------------------------
    def _write(self, did: str, collection: str, value: dict[str, Any], at: datetime,
               rkey: str | None = None) -> Record:
        if rkey is None:
            clock = 0
            rkey = tid_for(at, clock)
            while (did, collection, rkey) in self.used:
                clock += 1
                rkey = tid_for(at, clock)
        self.used.add((did, collection, rkey))
        return self.repo.create(did, collection, rkey, {"$type": collection, **value}, at)

    def _recent(self, days: float) -> datetime:
        return self.anchor - timedelta(seconds=self.rng.uniform(300, days * 86400))

    # -- accounts --------------------------------------------------------------------------
    def _accounts(self) -> None:
        rng = self.rng
        avatars = [self.repo.put_blob("", _png(32, 32, 900 + i), "image/png") for i in range(6)]
        for i, (name, display) in enumerate(corpus.CITY_ACCOUNTS + corpus.AUTHOR_NAMES):
            city = i < len(corpus.CITY_ACCOUNTS)
            handle = name + HANDLE_SUFFIX
            did = did_for(handle)
            created = self.anchor - timedelta(days=rng.uniform(200, 900))
            account = Account(did, handle, display, f"{name}@sandbox.test", app_password(rng),
                              f"mdp-{name}-{rng.randrange(1000, 9999)}", created, city)
            self.repo.add_account(account)
            self.dids[handle] = did
            (self.city if city else self.authors).append(did)
            profile: dict[str, Any] = {"displayName": display,
                                       "description": _bio(display, city)}
            if city or rng.random() < 0.8:
                avatar = avatars[i % len(avatars)]
                avatar.owners.add(did)
                profile["avatar"] = self.repo.blob_ref(avatar)
            self._write(did, PROFILE, {**profile, "createdAt": iso(created)}, created, "self")
        for i in range(6):
            width, height = (96, 64) if i % 2 == 0 else (64, 80)
            blob = self.repo.put_blob("", _png(width, height, 100 + i), "image/png")
            blob.owners.update(self.city + self.authors)
            self.images.append((self.repo.blob_ref(blob), width, height))

    def _follows(self) -> None:
        rng = self.rng
        for city in self.city:
            for other in self.city + self.authors:
                if other != city:
                    self._write(city, FOLLOW, {"subject": other,
                                               "createdAt": iso(self._recent(60))},
                                self._recent(60))
        for author in self.authors:
            targets = [c for c in self.city if rng.random() < 0.75]
            targets += rng.sample([a for a in self.authors if a != author], 3)
            for target in targets:
                at = self._recent(20)
                self._write(author, FOLLOW, {"subject": target, "createdAt": iso(at)}, at)

    # -- posts -----------------------------------------------------------------------------
    def _posts(self) -> None:
        rng = self.rng
        times = sorted(self._recent(14) for _ in range(340))
        for n, at in enumerate(times):
            if n not in BAD_FACET_SLOTS and self.posts and rng.random() < 0.22:
                self._reply(at)
            else:
                self._top_level(at, bad_facets=n in BAD_FACET_SLOTS)

    def _top_level(self, at: datetime, bad_facets: bool) -> None:
        rng = self.rng
        did = rng.choice(self.city) if rng.random() < 0.3 else rng.choice(self.authors)
        sample = corpus.sample_text(rng)
        text = sample.text
        if did not in self.city and rng.random() < 0.2:
            target = self.repo.accounts[rng.choice(self.city)].handle
            text = f"@{target} {text}" if rng.random() < 0.5 else f"{text} @{target}"
        value: dict[str, Any] = {"text": text, "createdAt": iso(at), "langs": ["fr"]}
        facets = facets_for(text, self.dids)
        if bad_facets:
            facets = _broken_facets(text)
        if facets:
            value["facets"] = facets
        embed = self._embed(sample.links, did)
        if embed:
            value["embed"] = embed
        self.posts.append(self._write(did, POST, value, at))

    def _embed(self, links: tuple[str, ...], did: str) -> dict[str, Any] | None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.18:
            return self._images()
        if roll < 0.28 and links:
            title, description = CARDS.get(links[0], ("Paris.fr", "Informations pratiques."))
            external: dict[str, Any] = {"uri": links[0], "title": title,
                                        "description": description}
            if rng.random() < 0.5:
                external["thumb"] = rng.choice(self.images)[0]
            return {"$type": "app.bsky.embed.external", "external": external}
        if roll < 0.37 and len(self.posts) > 5:
            city_posts = [p for p in self.posts if p.did in self.city and p.did != did]
            pool = city_posts if city_posts and rng.random() < 0.7 else self.posts
            quoted = rng.choice(pool)
            ref = {"$type": "app.bsky.embed.record",
                   "record": {"uri": quoted.uri, "cid": quoted.cid}}
            if roll < 0.34:
                return ref
            return {"$type": "app.bsky.embed.recordWithMedia", "record": ref,
                    "media": self._images()}
        return None

    def _images(self) -> dict[str, Any]:
        picks = self.rng.sample(self.images, self.rng.randint(1, 3))
        return {"$type": "app.bsky.embed.images", "images": [
            {"alt": corpus.sample_alt(self.rng), "image": ref,
             "aspectRatio": {"width": w, "height": h}} for ref, w, h in picks]}

    def _reply(self, at: datetime) -> None:
        rng = self.rng
        city_posts = [p for p in self.posts[-120:] if p.did in self.city]
        parent = rng.choice(city_posts if city_posts and rng.random() < 0.6 else self.posts)
        root = parent.value.get("reply", {}).get("root") or {"uri": parent.uri, "cid": parent.cid}
        if parent.did not in self.city and rng.random() < 0.3:
            did = rng.choice(self.city)
        else:
            did = rng.choice([a for a in self.authors if a != parent.did])
        text = corpus.sample_reply(rng)
        if rng.random() < 0.4:
            text = f"@{self.repo.accounts[parent.did].handle} {text}"
        value: dict[str, Any] = {"text": text, "createdAt": iso(at), "langs": ["fr"],
                                 "reply": {"root": root,
                                           "parent": {"uri": parent.uri, "cid": parent.cid}}}
        facets = facets_for(text, self.dids)
        if facets:
            value["facets"] = facets
        self.posts.append(self._write(did, POST, value, at))

    # -- interactions ----------------------------------------------------------------------
    def _likes_and_reposts(self) -> None:
        rng = self.rng
        everyone = self.city + self.authors
        for post in self.posts:
            city_post = post.did in self.city
            likers = rng.sample([d for d in everyone if d != post.did],
                                rng.randint(1, 6) if city_post else rng.randint(0, 3))
            reposters: list[str] = []
            if city_post and rng.random() < 0.2:
                reposters = rng.sample(self.authors, rng.randint(1, 2))
            elif not city_post and rng.random() < 0.06:
                reposters = [rng.choice(self.city)]
            for collection, actors in ((LIKE, likers), (REPOST, reposters)):
                for actor in actors:
                    if actor == post.did:
                        continue
                    span = min((self.anchor - post.sort_at).total_seconds(), 36 * 3600.0)
                    at = post.sort_at + timedelta(seconds=rng.uniform(0.05, 1) * span)
                    subject = {"uri": post.uri, "cid": post.cid}
                    self._write(actor, collection, {"subject": subject, "createdAt": iso(at)}, at)


def _bio(display: str, city: bool) -> str:
    if city:
        return (f"Compte de démonstration « {display} ». Informations pratiques, événements "
                "et services municipaux. Bac à sable : rien n'est publié pour de vrai.")
    return f"{display} — habitant·e du quartier, compte fictif du bac à sable."


def _broken_facets(text: str) -> list[dict[str, Any]]:
    """Facets a buggy client could write: past the end, and cutting a multibyte character."""
    size = len(text.encode("utf-8"))
    accent = next((i for i, ch in enumerate(text) if len(ch.encode("utf-8")) > 1), 0)
    inside = len(text[:accent].encode("utf-8")) + 1
    return [
        {"index": {"byteStart": inside, "byteEnd": inside + 6},
         "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Cassé"}]},
        {"index": {"byteStart": size - 3, "byteEnd": size + 40},
         "features": [{"$type": "app.bsky.richtext.facet#link",
                       "uri": "https://www.paris.fr/pages/agenda"}]},
    ]
