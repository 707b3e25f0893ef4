"""Requests the photo tests make: uploads and submissions naming them."""
from __future__ import annotations

import io
from pathlib import Path

INSIDE = {"lon": 24.94, "lat": 60.17}
PARTY_EMAIL = "valot@example.fi"


def upload(client, data: bytes, filename: str = "IMG_0001.jpg",
           content_type: str = "image/jpeg"):
    return client.post("/api/v1/photos", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), filename, content_type)})


def upload_token(client, data: bytes) -> str:
    response = upload(client, data)
    assert response.status_code == 201, response.json
    return response.json["upload_token"]


def submit(client, photos: list[str], category: str = "streetlight", **headers: str):
    body = {"category": category, "location": INSIDE, "description": "Valo ei pala",
            "photos": photos}
    return client.post("/api/v1/reports", json=body, headers=headers)


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
