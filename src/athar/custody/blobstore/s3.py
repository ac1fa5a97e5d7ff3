"""S3-compatible object storage through boto3 (AWS, SeaweedFS, MinIO ...).

S3 has no rename, and the key (the digest) is known only at the end of the
stream, so a put spools to a local temporary file while hashing (constant
memory), then uploads it to ``prefix/sha256/<digest>``; S3 makes an object
visible only when its (multipart) upload completes, so an interrupted put
leaves no object. Identical content is uploaded once.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from collections.abc import Iterator
from typing import Any

from athar.custody.blobstore.base import (
    CHUNK,
    BlobInfo,
    Chunks,
    Progress,
    check_digest,
    iter_chunks,
)
from athar.errors import ConfigError, NotFound, StoreError

__all__ = ["S3BlobStore", "map_s3_errors"]


@contextlib.contextmanager
def map_s3_errors(what: str) -> Iterator[None]:
    """Translate botocore failures into StoreError (NotFound for a missing key)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in ("404", "NoSuchKey", "NotFound"):
            raise NotFound(f"{what}: not found") from None
        raise StoreError(f"{what}: S3 error {code}: {exc}") from None
    except BotoCoreError as exc:
        raise StoreError(f"{what}: S3 unreachable or misconfigured: {exc}") from None


class S3BlobStore:
    """Blobs as objects ``prefix/sha256/<digest>`` in one bucket."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    @classmethod
    def from_settings(cls, bucket: str, prefix: str = "", endpoint: str | None = None,
                      *, create_bucket: bool = False, **client_kw: Any) -> S3BlobStore:
        """A store on ``bucket`` using boto3's usual credential chain and ``endpoint``."""
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise ConfigError("the S3 blob store needs boto3: pip install boto3") from None
        client = boto3.client(
            "s3", endpoint_url=endpoint,
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
            **client_kw,
        )
        store = cls(client, bucket, prefix)
        if create_bucket:
            with map_s3_errors(f"create bucket {bucket}"):
                with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou,
                                         client.exceptions.BucketAlreadyExists):
                    client.create_bucket(Bucket=bucket)
        return store

    def key(self, sha256: str) -> str:
        """The object key of the blob with this digest."""
        d = check_digest(sha256)
        return f"{self.prefix}/sha256/{d}" if self.prefix else f"sha256/{d}"

    def put(self, source: Chunks, progress: Progress | None = None) -> BlobInfo:
        """Spool to a temp file while hashing, then upload under the digest if new."""
        h = hashlib.sha256()
        size = 0
        with tempfile.TemporaryFile(prefix="athar-s3-") as spool:
            for chunk in iter_chunks(source):
                h.update(chunk)
                spool.write(chunk)
                size += len(chunk)
                if progress:
                    progress(len(chunk))
            digest = h.hexdigest()
            if self.exists(digest):
                return BlobInfo(digest, size, False)
            spool.seek(0)
            with map_s3_errors(f"upload blob {digest}"):
                self.client.upload_fileobj(spool, self.bucket, self.key(digest))
        return BlobInfo(digest, size, True)

    def exists(self, sha256: str) -> bool:
        """True when the object exists."""
        try:
            self.size(sha256)
        except NotFound:
            return False
        return True

    def size(self, sha256: str) -> int:
        """The object's size; raise NotFound if absent."""
        with map_s3_errors(f"blob {sha256}"):
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        return int(head["ContentLength"])

    def read(self, sha256: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
        """The object's bytes in chunks; raise NotFound if absent."""
        with map_s3_errors(f"blob {sha256}"):
            obj = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
        return _stream(obj["Body"], chunk_size)

    def delete(self, sha256: str) -> None:
        """Remove the object if present."""
        with map_s3_errors(f"delete blob {sha256}"):
            self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))


def _stream(body: Any, chunk_size: int) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(chunk_size)
    finally:
        body.close()


