"""Prepared files stay their requester's only while the requester keeps the right; a worker
killed while writing leaves nothing behind, and the sweep deletes what others left (of
ours only); a job delivered twice at once makes the file once."""
from __future__ import annotations

import csv
import io
import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackgis.domain.permissions import Role
from feedbackgis.models import ContactAccess, FileKind, FileState, PreparedFile, StaffUser
from feedbackgis.services.analytics.exports import write_csv
from feedbackgis.services.analytics.prepared_files import (
    delete_expired_files,
    make_file,
    request_file,
)
from tests.integration.export_world import CONTACT_1, PASSWORD, YEAR_2026, build_export_world
from tests.integration.staff.signing_in import english_client, sign_in

KEEP = timedelta(hours=24)
TZ = "Europe/Helsinki"
HEX = "0123456789abcdef" * 2  # a temporary name's 32 hex digits


@pytest.fixture
def world(session):
    return build_export_world(session)


def _asked(session, user, *, with_contact=False, kind=FileKind.CSV) -> PreparedFile:
    return request_file(session, user, kind, YEAR_2026, with_contact=with_contact,
                        language="en", time_zone=TZ)


def _contacts_logged(session) -> int:
    return session.scalar(select(func.count()).select_from(ContactAccess))


def test_a_file_asked_by_a_user_who_lost_the_right_since_is_not_made(session, world,
                                                                     tmp_path):
    prepared = _asked(session, world.admin, with_contact=True)
    world.admin.role = Role.MANAGER  # demoted before the job ran: no contacts any more
    session.commit()
    assert make_file(session, prepared.id, tmp_path, KEEP) is FileState.FAILED
    session.refresh(prepared)
    assert (prepared.path, prepared.error) == (
        None, "Forbidden: Your role no longer exports the reporters' contact details.")
    assert list(tmp_path.iterdir()) == [] and _contacts_logged(session) == 0


def test_a_handler_moved_to_another_unit_gets_no_file_of_the_old_one(session, world,
                                                                     tmp_path):
    prepared = _asked(session, world.handler)
    assert prepared.params["scope_party_id"] == world.handler.party_id
    world.handler.party_id = world.party.id
    session.commit()
    assert make_file(session, prepared.id, tmp_path, KEEP) is FileState.FAILED
    session.refresh(prepared)
    assert prepared.error == "Forbidden: Your figures no longer cover the reports of this file."


def test_a_made_file_is_refused_once_its_requester_lost_the_right(app, session, world,
                                                                  tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_FOLDER", str(tmp_path))
    with_contacts = _asked(session, world.admin, with_contact=True)
    without = _asked(session, world.admin)
    for prepared in (with_contacts, without):
        assert make_file(session, prepared.id, tmp_path, KEEP) is FileState.DONE
    client = english_client(app)
    sign_in(client, world.admin.email, PASSWORD)
    download = client.get(f"/staff/files/{with_contacts.id}/download")
    assert download.status_code == 200 and CONTACT_1["email"] in download.get_data(as_text=True)

    # A request's end closed the session the world was loaded in: the user read again.
    session.get(StaffUser, world.admin.id).role = Role.MANAGER
    session.commit()
    for path in ("", ".json", "/download"):
        response = client.get(f"/staff/files/{with_contacts.id}{path}")
        assert response.status_code == 403, path
        assert CONTACT_1["email"] not in response.get_data(as_text=True)
    # A manager still sees every party's figures: the file without contacts is still theirs.
    rows = list(csv.reader(io.StringIO(client.get(f"/staff/files/{without.id}/download")
                                       .get_data(as_text=True))))
    assert len(rows) == 3 and CONTACT_1["email"] not in str(rows)


def test_a_worker_stopped_while_writing_leaves_no_temporary_file_and_is_made_again(
        session, world, tmp_path):
    prepared = _asked(session, world.admin, with_contact=True)

    def stopped(session, prepared, path, progress):
        path.write_text(CONTACT_1["email"])
        path.with_name(path.name + "-journal").write_text("journal")
        raise SystemExit("work horse stopped")

    with pytest.raises(SystemExit):
        make_file(session, prepared.id, tmp_path, KEEP, maker=stopped)
    assert list(tmp_path.iterdir()) == []
    session.refresh(prepared)
    assert prepared.state is FileState.RUNNING  # as a killed worker leaves it
    assert make_file(session, prepared.id, tmp_path, KEEP) is FileState.DONE
    assert [path.name for path in tmp_path.iterdir()] == [f"{prepared.id}.csv"]


def _touched(path, age: timedelta, text: str = "x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    at = (datetime.now(UTC) - age).timestamp()
    os.utime(path, (at, at))
    return path


def test_the_sweep_deletes_left_over_files_of_ours_and_nothing_else(session, world, tmp_path):
    folder = tmp_path / "exports"
    done = _asked(session, world.admin)
    assert make_file(session, done.id, folder, KEEP) is FileState.DONE
    running = _asked(session, world.admin, kind=FileKind.GPKG)
    running.state = FileState.RUNNING
    session.commit()
    hour, day, week = timedelta(hours=1), timedelta(days=1), timedelta(days=7)
    os.utime(folder / f"{done.id}.csv", (0, 0))  # old, but its row names it: kept
    gone = [
        _touched(folder / "9999.csv", 2 * hour),  # no row names it
        _touched(folder / f".tmp-{HEX}-{done.id}.csv", 2 * hour),  # its file is not running
        _touched(folder / f".tmp-{HEX}-{done.id}.gpkg-journal", 2 * hour),
        _touched(folder / f".tmp-{HEX}-{running.id}.gpkg", week + hour),  # stuck for a week
    ]
    kept = [
        folder / f"{done.id}.csv",
        _touched(folder / "9998.xlsx", 0.5 * hour),  # may be renamed just before its DONE
        _touched(folder / f".tmp-{'f' * 32}-{running.id}.gpkg", day),  # being written
        _touched(folder / "notes.txt", week * 2),  # not ours
        _touched(folder / "9997.csv.bak", week * 2),
        _touched(folder / "old" / "9996.csv", week * 2),  # in a subfolder
        _touched(tmp_path / "9995.csv", week * 2),  # outside the folder
    ]
    assert delete_expired_files(session, folder, datetime.now(UTC)) == 0  # no row expired
    assert [path.exists() for path in gone] == [False] * len(gone)
    assert [path.exists() for path in kept] == [True] * len(kept)


def test_a_job_delivered_twice_at_once_makes_the_file_and_logs_contacts_once(
        app, committed, tmp_path):
    world = build_export_world(committed)
    prepared = _asked(committed, world.admin, with_contact=True)
    second_run: list[FileState | None] = []
    makers: list[str] = []

    def first(session, prepared, path, progress):
        makers.append("first")
        # Meanwhile Redis lost the job, the outbox sent it again and another worker runs it.
        with Session(committed.get_bind(), expire_on_commit=False) as other:
            second_run.append(make_file(other, prepared.id, tmp_path, KEEP,
                                        maker=lambda *args: makers.append("second")))
        write_csv(session, prepared, path, progress)

    assert make_file(committed, prepared.id, tmp_path, KEEP, maker=first) is FileState.DONE
    assert second_run == [FileState.RUNNING] and makers == ["first"]
    assert _contacts_logged(committed) == 1
    # Once made, the same job again does nothing.
    assert make_file(committed, prepared.id, tmp_path, KEEP,
                     maker=lambda *args: makers.append("again")) is FileState.DONE
    assert makers == ["first"] and _contacts_logged(committed) == 1
