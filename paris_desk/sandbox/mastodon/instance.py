"""Instance metadata, v1 (deprecated, still read by Mastodon.py for version checks) and v2."""

from __future__ import annotations

from typing import Any

from ..http import Request, Response
from .compose import Composer
from .media import DESCRIPTION_LIMIT, IMAGE_SIZE_LIMIT, SUPPORTED_TYPES, VIDEO_SIZE_LIMIT
from .posting import MEDIA_LIMIT
from .text import MAX_CHARS, URL_CHARS

V1_DEPRECATION = "@1668384000"  # deprecate_api '2022-11-14'
API_VERSION = 7
RULES = [
    {"id": "1", "text": "Bac à sable : aucun contenu n'est publié pour de vrai.", "hint": ""},
    {"id": "2", "text": "Pas de harcèlement ni de discours haineux.", "hint": ""},
]


class InstanceRoutes(Composer):
    def register_instance(self) -> None:
        self.api("GET", r"/api/v1/instance", self._h_v1)
        self.api("GET", r"/api/v2/instance", self._h_v2)
        self.route("GET", r"/health", lambda req: Response(200, "OK", content_type="text/plain"))

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _contact(self) -> dict[str, Any]:
        return self.account_json(self.users[self.accounts[0]["id"]])

    def _statuses_config(self) -> dict[str, int]:
        return {"max_characters": MAX_CHARS, "max_media_attachments": MEDIA_LIMIT,
                "characters_reserved_per_url": URL_CHARS}

    def _media_config(self) -> dict[str, Any]:
        return {"supported_mime_types": list(SUPPORTED_TYPES),
                "description_limit": DESCRIPTION_LIMIT, "image_size_limit": IMAGE_SIZE_LIMIT,
                "image_matrix_limit": 33_177_600, "video_size_limit": VIDEO_SIZE_LIMIT,
                "video_frame_rate_limit": 120, "video_matrix_limit": 8_294_400}

    @staticmethod
    def _polls_config() -> dict[str, int]:
        return {"max_options": 4, "max_characters_per_option": 50, "min_expiration": 300,
                "max_expiration": 2_629_746}

    def _h_v1(self, req: Request) -> Response:
        local = [a for a in self.users.values() if a.local]
        statuses = sum(1 for s in self.statuses.values() if not s.deleted
                       and self.users[s.account_id].local)
        body = {
            "uri": self.domain, "title": "Paris Desk — bac à sable",
            "short_description": "Serveur Mastodon local pour les tests.",
            "description": "Serveur Mastodon local pour les tests.",
            "email": "contact@sandbox.example", "version": self.version,
            "urls": {"streaming_api": f"ws://{self.domain}"},
            "stats": {"user_count": len(local), "status_count": statuses, "domain_count": 3},
            "thumbnail": f"{self.base_url}/instance/thumbnail.png", "languages": ["fr"],
            "registrations": False, "approval_required": False, "invites_enabled": False,
            "configuration": {
                "accounts": {"max_featured_tags": 10},
                "statuses": self._statuses_config(),
                "media_attachments": self._media_config(), "polls": self._polls_config(),
            },
            "contact_account": self._contact(), "rules": RULES,
        }
        return Response(200, body, {"Deprecation": V1_DEPRECATION})

    def _h_v2(self, req: Request) -> Response:
        thumb = f"{self.base_url}/instance/thumbnail.png"
        body = {
            "domain": self.domain, "title": "Paris Desk — bac à sable", "version": self.version,
            "source_url": "https://github.com/mastodon/mastodon",
            "description": "Serveur Mastodon local pour les tests.",
            "usage": {"users": {"active_month": len(self.accounts)}},
            "thumbnail": {"url": thumb, "blurhash": "00Gj[f", "versions": {"@1x": thumb,
                                                                            "@2x": thumb}},
            "icon": [], "languages": ["fr"],
            "configuration": {
                "urls": {"streaming": f"ws://{self.domain}", "status": None,
                         "about": f"{self.base_url}/about",
                         "privacy_policy": f"{self.base_url}/privacy-policy",
                         "terms_of_service": None},
                "vapid": {"public_key": "BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxV"
                                        "A0_OH5mMlI"},
                "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5,
                             "max_profile_fields": 4},
                "statuses": self._statuses_config(),
                "media_attachments": self._media_config(), "polls": self._polls_config(),
                "translation": {"enabled": False},
                "timelines_access": {
                    feed: {"local": "public", "remote": "public"}
                    for feed in ("live_feeds", "hashtag_feeds", "trending_link_feeds")},
                "limited_federation": False,
            },
            "registrations": {"enabled": False, "approval_required": False,
                              "reason_required": False, "message": None, "min_age": None,
                              "url": None},
            "api_versions": {"mastodon": API_VERSION},
            "contact": {"email": "contact@sandbox.example", "account": self._contact()},
            "rules": RULES,
        }
        return Response(200, body)
