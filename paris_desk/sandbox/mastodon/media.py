"""Media uploads (``/api/v2/media`` and the v1 alias), their metadata, and the bytes the
sandbox serves itself: uploaded and generated images, avatars, the default header."""

from __future__ import annotations

import io
from typing import Any

from .. import corpus
from ..http import Request, Response, parse_multipart
from .compose import Composer
from .state import ApiError, Media, not_found

IMAGE_SIZE_LIMIT = 16 * 1024 * 1024
VIDEO_SIZE_LIMIT = 99 * 1024 * 1024
DESCRIPTION_LIMIT = 1500
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/heic", "image/heif",
               "image/webp", "image/avif")
VIDEO_TYPES = ("video/webm", "video/mp4", "video/quicktime", "video/ogg")
AUDIO_TYPES = ("audio/wave", "audio/wav", "audio/x-wav", "audio/x-pn-wave", "audio/vnd.wave",
               "audio/ogg", "audio/vorbis", "audio/mpeg", "audio/mp3", "audio/webm",
               "audio/flac", "audio/aac", "audio/m4a", "audio/x-m4a", "audio/mp4", "audio/3gpp",
               "video/x-ms-asf")
SUPPORTED_TYPES = IMAGE_TYPES + VIDEO_TYPES + AUDIO_TYPES
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
          (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))


class MediaRoutes(Composer):
    def register_media(self) -> None:
        self.api("POST", r"/api/v2/media", lambda req: self._upload(req, v2=True))
        self.api("POST", r"/api/v1/media", lambda req: self._upload(req, v2=False))
        mid = r"/api/v1/media/(?P<id>\d+)"
        self.api("GET", mid, self._h_get)
        self.api("PUT", mid, self._h_update)
        self.api("DELETE", mid, self._h_delete)
        self.route("GET", r"/media/(?P<id>\d+)/(?P<style>original|small)\.\w+", self._h_bytes)
        self.route("GET", r"/avatars/(?P<id>\d+)\.png", self._h_avatar)
        self.route("GET", r"/headers/original/missing\.png", self._h_header)
        self.route("GET", r"/instance/thumbnail\.png", self._h_header)
        self._png_cache: dict[tuple[int, int, int], bytes] = {}

    # -- uploads ------------------------------------------------------------------------------
    def _upload(self, req: Request, v2: bool) -> Response:
        me = self.user(req, "write", "write:media")
        parts = parse_multipart(req) if "multipart/form-data" in req.header("content-type") \
            else {}
        files = [info for _, info in parts.get("file", []) if info]
        if not files:
            raise ApiError(422, "Validation failed: File can't be blank")
        data: bytes = files[0]["data"]
        mime = _sniff(data) or str(files[0]["content_type"])
        if mime not in SUPPORTED_TYPES:
            raise ApiError(422, "Validation failed: File content type is invalid")
        kind = "image" if mime in IMAGE_TYPES else "audio" if mime in AUDIO_TYPES else "video"
        limit = IMAGE_SIZE_LIMIT if kind == "image" else VIDEO_SIZE_LIMIT
        if len(data) > limit:
            raise ApiError(422, "Validation failed: File file size must be less than "
                                f"{limit // (1024 * 1024)} MB")
        description = _text_part(parts, "description")
        _check_description(description)
        width, height = _dimensions(data) if kind == "image" else (1280, 720)
        media = Media(id=self.new_id(), account_id=me.id, kind=kind, mime=mime, width=width,
                      height=height, created_at=self.now(), description=description or None,
                      focus=_focus(_text_part(parts, "focus")), data=data,
                      file_name=str(files[0].get("filename") or ""))
        if kind != "image" and v2:
            media.ready_at = self.clock() + self.media_processing_seconds
        self.media[media.id] = media
        return Response(202 if media.ready_at > self.clock() else 200, self.media_json(media))

    def _own_unattached(self, req: Request, scope: tuple[str, ...]) -> Media:
        me = self.user(req, *scope)
        media = self.media.get(req.match["id"])
        if media is None or media.account_id != me.id or media.status_id is not None:
            raise not_found()
        return media

    def _h_get(self, req: Request) -> Response:
        media = self._own_unattached(req, ("read", "read:statuses", "write", "write:media"))
        return Response(206 if media.ready_at > self.clock() else 200, self.media_json(media))

    def _h_update(self, req: Request) -> Response:
        media = self._own_unattached(req, ("write", "write:media"))
        if "description" in req.form() or req.param("description"):
            description = req.param("description")
            _check_description(description)
            media.description = description or None
        if req.param("focus"):
            media.focus = _focus(req.param("focus"))
        return Response(206 if media.ready_at > self.clock() else 200, self.media_json(media))

    def _h_delete(self, req: Request) -> Response:
        me = self.user(req, "write", "write:media")
        media = self.media.get(req.match["id"])
        if media is None or media.account_id != me.id:
            raise not_found()
        if media.status_id is not None:
            raise ApiError(422, "Media attachment is currently used by a status")
        del self.media[media.id]
        return Response(200, {})

    # -- bytes --------------------------------------------------------------------------------
    def _h_bytes(self, req: Request) -> Response:
        media = self.media.get(req.match["id"])
        if media is None or (media.ready_at > self.clock() and req.match["style"] == "original"):
            raise not_found()
        if media.data is not None and (media.kind == "image" or req.match["style"] != "small"):
            return _bytes(media.data, media.mime)
        return _bytes(self._png(media.width, media.height, media.seed), "image/png")

    def _h_avatar(self, req: Request) -> Response:
        acc = self.account(req.match["id"])
        return _bytes(self._png(96, 96, acc.avatar_seed), "image/png")

    def _h_header(self, req: Request) -> Response:
        return _bytes(self._png(300, 100, 7), "image/png")

    def _png(self, width: int, height: int, seed: int) -> bytes:
        key = (width, height, seed)
        if key not in self._png_cache:
            self._png_cache[key] = corpus.png_image(width, height, seed)
        return self._png_cache[key]


def _bytes(data: bytes, mime: str) -> Response:
    return Response(200, data, {"Cache-Control": "public, max-age=31536000, immutable"},
                    content_type=mime)


def _sniff(data: bytes) -> str | None:
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _dimensions(data: bytes) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            return im.size
    except (UnidentifiedImageError, OSError):
        raise ApiError(422, "File type of uploaded media could not be verified") from None


def _text_part(parts: dict[str, list[tuple[str, Any]]], name: str) -> str:
    values = [text for text, info in parts.get(name, []) if not info]
    return values[0] if values else ""


def _check_description(description: str) -> None:
    if len(description) > DESCRIPTION_LIMIT:
        raise ApiError(422, "Validation failed: Description is too long (maximum is "
                            f"{DESCRIPTION_LIMIT} characters)")


def _focus(raw: str) -> tuple[float, float] | None:
    try:
        x, y = (max(-1.0, min(1.0, float(v))) for v in raw.split(","))
    except ValueError:
        return None
    return x, y
