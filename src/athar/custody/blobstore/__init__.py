"""Content-addressed blob stores: one Protocol, local folder, memory and S3 backends."""

from athar.custody.blobstore.base import BlobInfo, BlobStore, open_blobstore

__all__ = ["BlobInfo", "BlobStore", "open_blobstore"]
