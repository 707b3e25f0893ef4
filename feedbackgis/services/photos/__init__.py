"""Photos: upload (check, re-encode, store), attach to a report, thumbnails, serving rules,
email attachments, pruning of uploads never attached, and staff hiding.

The storage and the limits come from the app's settings (storage_from_config,
PhotoLimits.from_config); the callers above (api, jobs) pass them in.
"""
from feedbackgis.media import PhotoLimits, PhotoStorage, storage_from_config

__all__ = ["PhotoLimits", "PhotoStorage", "storage_from_config"]
