"""Photos: checked by their content, re-encoded without metadata, kept in a storage.

Nothing a resident uploads is ever stored or shown as it came: `prepare_photo` decides what
the bytes are (never by file name or Content-Type), refuses what is too large before it is
decoded, and re-encodes the picture as a plain JPEG with no EXIF, XMP or ICC left, having
read the GPS position once for the uploader. `PhotoStorage` keeps the results by key (a
local folder now; object storage later behind the same interface).
"""
from feedbackgis.media.photos import (
    PhotoLimits,
    PreparedPhoto,
    make_thumbnail,
    prepare_photo,
)
from feedbackgis.media.storage import (
    LocalFolderStorage,
    PhotoStorage,
    StoredFile,
    storage_from_config,
)

__all__ = [
    "LocalFolderStorage", "PhotoLimits", "PhotoStorage", "PreparedPhoto", "StoredFile",
    "make_thumbnail", "prepare_photo", "storage_from_config",
]
