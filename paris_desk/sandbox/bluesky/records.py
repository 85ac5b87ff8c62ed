"""``com.atproto.repo.*`` and ``com.atproto.sync.getBlob``: the PDS's record and blob store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paris_desk.sandbox.bluesky import cbor
from paris_desk.sandbox.bluesky.repo import Account, Record, at_uri
from paris_desk.sandbox.bluesky.validation import blob_refs, check_write
from paris_desk.sandbox.bluesky.xrpc import (
    XrpcError,
    body,
    int_param,
    internal,
    invalid,
    required,
)
from paris_desk.sandbox.http import Request, Response

if TYPE_CHECKING:
    from paris_desk.sandbox.bluesky.server import BlueskySandbox

CREATE = "com.atproto.repo.applyWrites#create"
UPDATE = "com.atproto.repo.applyWrites#update"
DELETE = "com.atproto.repo.applyWrites#delete"


def sniff_mime(data: bytes) -> str | None:
    """What the PDS's file-type detection would find for the usual media."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        return "video/mp4"
    return None


class RepoApi:
    def __init__(self, server: BlueskySandbox) -> None:
        self.server = server
        self.state = server.state

    def routes(self) -> list[tuple[str, str, Any]]:
        return [
            ("POST", "com.atproto.repo.createRecord", self.create_record),
            ("POST", "com.atproto.repo.putRecord", self.put_record),
            ("POST", "com.atproto.repo.deleteRecord", self.delete_record),
            ("POST", "com.atproto.repo.applyWrites", self.apply_writes),
            ("GET", "com.atproto.repo.getRecord", self.get_record),
            ("GET", "com.atproto.repo.listRecords", self.list_records),
            ("POST", "com.atproto.repo.uploadBlob", self.upload_blob),
            ("GET", "com.atproto.sync.getBlob", self.get_blob),
        ]

    # -- helpers ---------------------------------------------------------------------------
    def _own_repo(self, req: Request, data: dict[str, Any]) -> Account:
        creds = self.server.authenticate(req)
        account = self.state.resolve(str(data.get("repo", "")))
        if account is None:
            raise invalid(f"Could not find repo: {data.get('repo', '')}")
        if account.did != creds.did:
            raise XrpcError(401, "AuthenticationRequired", "Authentication Required")
        return account

    def _check_blobs(self, did: str, record: Any) -> None:
        for ref in blob_refs(record):
            cid = str((ref.get("ref") or {}).get("$link", ""))
            blob = self.state.blobs.get(cid)
            if blob is None or did not in blob.owners:
                raise invalid(f"Could not find blob: {cid}", "BlobNotFound")
            if ref.get("mimeType") != blob.mime:
                raise invalid("Referenced Mimetype does not match stored blob. Expected: "
                              f"{blob.mime}, Got: {ref.get('mimeType')}", "InvalidMimeType")

    def _check_swap_commit(self, did: str, data: dict[str, Any]) -> None:
        swap = data.get("swapCommit")
        current = self.state.commits.get(did, ("", ""))[0]
        if swap is not None and swap != current:
            raise invalid(f"Commit was at {current or 'null'}", "InvalidSwap")

    def _prepare(self, did: str, collection: str, rkey: str, record: Any,
                 validate: Any) -> str | None:
        status = check_write(collection, rkey, record, validate if isinstance(validate, bool)
                             else None)
        try:
            cbor.encode(record)
        except (cbor.EncodeError, ValueError) as exc:
            raise invalid(f"Invalid record: {exc}") from None
        self._check_blobs(did, record)
        return status

    def _fresh_rkey(self, did: str, collection: str) -> str:
        existing = self.state.collection(did, collection)
        rkey = self.state.next_rev()
        while rkey in existing:
            rkey = self.state.next_rev()
        return rkey

    @staticmethod
    def _written(record: Record, status: str | None, commit: dict[str, str] | None
                 ) -> dict[str, Any]:
        out: dict[str, Any] = {"uri": record.uri, "cid": record.cid}
        if commit is not None:
            out["commit"] = commit
        if status is not None:
            out["validationStatus"] = status
        return out

    # -- writes ----------------------------------------------------------------------------
    def create_record(self, req: Request) -> Response:
        data = body(req)
        account = self._own_repo(req, data)
        collection = str(data.get("collection", ""))
        rkey = str(data.get("rkey") or self._fresh_rkey(account.did, collection))
        status = self._prepare(account.did, collection, rkey, data.get("record"),
                               data.get("validate"))
        self._check_swap_commit(account.did, data)
        record = self.state.create(account.did, collection, rkey, dict(data["record"]))
        commit = self.state.commit(account.did)
        return Response(200, self._written(record, status, commit))

    def put_record(self, req: Request) -> Response:
        data = body(req)
        account = self._own_repo(req, data)
        collection, rkey = str(data.get("collection", "")), str(data.get("rkey") or "")
        if not rkey:
            raise invalid('Input must have the property "rkey"')
        status = self._prepare(account.did, collection, rkey, data.get("record"),
                               data.get("validate"))
        current = self.state.collection(account.did, collection).get(rkey)
        if "swapRecord" in data:
            swap = data["swapRecord"]
            if (current.cid if current else None) != swap:
                raise invalid(f"Record was at {current.cid if current else 'null'}",
                              "InvalidSwap")
        self._check_swap_commit(account.did, data)
        typed = {"$type": collection, **data["record"]}
        if current is not None and current.cid == cbor.cid_for_record(typed):
            return Response(200, self._written(current, status, None))
        record = self.state.update(account.did, collection, rkey, typed)
        return Response(200, self._written(record, status, self.state.commit(account.did)))

    def delete_record(self, req: Request) -> Response:
        data = body(req)
        account = self._own_repo(req, data)
        collection, rkey = str(data.get("collection", "")), str(data.get("rkey", ""))
        current = self.state.collection(account.did, collection).get(rkey)
        if data.get("swapRecord") is not None and (current is None
                                                   or current.cid != data["swapRecord"]):
            raise invalid(f"Record was at {current.cid if current else 'null'}", "InvalidSwap")
        self._check_swap_commit(account.did, data)
        if current is None:
            return Response(200, {})
        self.state.delete(account.did, collection, rkey)
        return Response(200, {"commit": self.state.commit(account.did)})

    def apply_writes(self, req: Request) -> Response:
        """All or nothing: every write is checked before the first one is applied."""
        data = body(req)
        account = self._own_repo(req, data)
        did = account.did
        writes = data.get("writes")
        if not isinstance(writes, list) or len(writes) > 200:
            raise invalid("Too many writes. Max: 200" if isinstance(writes, list)
                          else 'Input must have the property "writes"')
        planned = self._plan_writes(did, writes, data.get("validate"))
        self._check_swap_commit(did, data)
        results = []
        for kind, collection, rkey, value, status in planned:
            if kind == DELETE:
                self.state.delete(did, collection, rkey)
                results.append({"$type": "com.atproto.repo.applyWrites#deleteResult"})
                continue
            record = (self.state.create(did, collection, rkey, value) if kind == CREATE
                      else self.state.update(did, collection, rkey, value))
            result = {"$type": kind + "Result", "uri": record.uri, "cid": record.cid}
            if status is not None:
                result["validationStatus"] = status
            results.append(result)
        return Response(200, {"commit": self.state.commit(did), "results": results})

    def _plan_writes(self, did: str, writes: list[Any], validate: Any
                     ) -> list[tuple[str, str, str, dict[str, Any], str | None]]:
        planned: list[tuple[str, str, str, dict[str, Any], str | None]] = []
        taken: set[tuple[str, str]] = set()
        for write in writes:
            if not isinstance(write, dict) or write.get("$type") not in (CREATE, UPDATE, DELETE):
                raise invalid("Invalid write: expected a create, update or delete")
            kind, collection = write["$type"], str(write.get("collection", ""))
            rkey = str(write.get("rkey") or self._fresh_rkey(did, collection))
            exists = rkey in self.state.collection(did, collection) or (collection, rkey) in taken
            if kind == CREATE and exists:
                raise internal()  # the MST refuses a second value at one key
            value: dict[str, Any] = {}
            status = None
            if kind != DELETE:
                status = self._prepare(did, collection, rkey, write.get("value"), validate)
                value = {"$type": collection, **write["value"]}
            taken.add((collection, rkey))
            planned.append((kind, collection, rkey, value, status))
        return planned

    # -- reads -----------------------------------------------------------------------------
    def get_record(self, req: Request) -> Response:
        actor = required(req, "repo")
        collection, rkey = required(req, "collection"), required(req, "rkey")
        account = self.state.resolve(actor)
        uri = at_uri(account.did if account else actor, collection, rkey)
        record = self.state.by_uri.get(uri)
        wanted = req.param("cid", "")
        if record is None or (wanted and wanted != record.cid):
            raise invalid(f"Could not locate record: {uri}", "RecordNotFound")
        return Response(200, {"uri": record.uri, "cid": record.cid, "value": record.value})

    def list_records(self, req: Request) -> Response:
        account = self.state.resolve(required(req, "repo"))
        if account is None:
            raise invalid(f"Could not find repo: {req.param('repo')}")
        limit = int_param(req, "limit", 50, 1, 100)
        reverse = req.param("reverse", "false") == "true"
        cursor = req.param("cursor", "")
        items = sorted(self.state.collection(account.did, required(req, "collection")).items(),
                       reverse=not reverse)
        if cursor:
            items = [(k, r) for k, r in items if (k > cursor if reverse else k < cursor)]
        page = items[:limit]
        out: dict[str, Any] = {"records": [{"uri": r.uri, "cid": r.cid, "value": r.value}
                                           for _, r in page]}
        if len(items) > limit:
            out["cursor"] = page[-1][0]
        return Response(200, out)

    # -- blobs -----------------------------------------------------------------------------
    def upload_blob(self, req: Request) -> Response:
        creds = self.server.authenticate(req)
        if len(req.body) > self.server.blob_upload_limit:
            raise XrpcError(413, "PayloadTooLarge", "request entity too large")
        declared = req.header("content-type") or "application/octet-stream"
        blob = self.state.put_blob(creds.did, req.body, sniff_mime(req.body) or declared)
        return Response(200, {"blob": self.state.blob_ref(blob)})

    def get_blob(self, req: Request) -> Response:
        did, cid = required(req, "did"), required(req, "cid")
        blob = self.state.blobs.get(cid)
        if blob is None or did not in blob.owners:
            raise invalid("Blob not found")
        headers = {"x-content-type-options": "nosniff",
                   "content-disposition": f'attachment; filename="{cid}"',
                   "content-security-policy": "default-src 'none'; sandbox"}
        return Response(200, blob.data, headers, blob.mime)
