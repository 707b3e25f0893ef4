"""Where the staff pages may send a user after signing in: their own paths, nothing else."""
from __future__ import annotations

from urllib.parse import urlsplit

STAFF_ROOT = "/staff"
# The contractor's work orders and the admin pages sign in through the staff login too.
SIGNED_IN_ROOTS = (STAFF_ROOT, "/work", "/admin")


def local_staff_path(wanted: str | None) -> str | None:
    """`wanted` if it is a path of the staff pages of this site, else None: never another
    host (//evil.example, https://...), a scheme (javascript:), or a backslash or control
    character that a browser might read as something else (/\\evil.example)."""
    if not wanted or any(ch == "\\" or ord(ch) < 0x21 or ord(ch) == 0x7F for ch in wanted):
        return None
    parts = urlsplit(wanted)
    if parts.scheme or parts.netloc:
        return None
    if any(parts.path == root or parts.path.startswith(root + "/") for root in SIGNED_IN_ROOTS):
        return wanted
    return None
