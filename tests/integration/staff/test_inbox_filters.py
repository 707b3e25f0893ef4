"""The inbox's filters, sorts and pages, each against the same question asked in plain SQL,
and the filters it refuses (422, saying which)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from werkzeug.datastructures import MultiDict

from feedbackgis.models import StaffUser
from feedbackgis.schemas.staff_inbox import load_inbox_filter
from feedbackgis.services.staff.inbox import inbox_page
from tests.integration.staff.inbox_world import NOW, build_inbox_world, sign_in

OPEN = "('received', 'triage', 'assigned', 'in_progress', 'waiting')"
EVERY_STATUS = ["received", "triage", "assigned", "in_progress", "waiting", "fixed", "closed",
                "not_ours", "duplicate", "rejected", "withdrawn"]
ROW_LINK = re.compile(r'<th scope="row">\s*<a href="/staff/reports/(\d+)\?lang=en">')


@pytest.fixture
def world(session):
    return build_inbox_world(session)


def _page(session, world, user="handler_a", **query):
    return inbox_page(session, session.get(StaffUser, world.users[user]),
                      load_inbox_filter(MultiDict(query)), "en", now=NOW)


def _sql_ids(session, where: str, order: str = "created_at DESC, id DESC", **params):
    return list(session.scalars(text(f"SELECT id FROM report WHERE {where} ORDER BY {order}"),
                                {"now": NOW, **params}))


# (the page's query, the same filter in SQL over unit A's reports); {ids} from the world.
FILTERS = [
    ({}, f"status IN {OPEN}"),
    ({"status": ["fixed", "closed"]}, "status IN ('fixed', 'closed')"),
    ({"status": ["waiting"]}, "status = 'waiting'"),
    ({"category": "{potholes}"}, f"status IN {OPEN} AND category_id = :potholes"),
    ({"zone": "{zone_a}"}, f"status IN {OPEN} AND assigned_zone_id = :zone_a"),
    ({"person": "me"}, f"status IN {OPEN} AND assigned_user_id = :me"),
    ({"person": "nobody"}, f"status IN {OPEN} AND assigned_user_id IS NULL"),
    ({"person": "{colleague}", "status": EVERY_STATUS}, "assigned_user_id = :colleague"),
    ({"min_age": "10"}, f"status IN {OPEN} AND created_at <= :now - interval '10 days'"),
    ({"max_age": "10"}, f"status IN {OPEN} AND created_at >= :now - interval '10 days'"),
    ({"min_age": "4", "max_age": "30"}, f"status IN {OPEN} AND created_at BETWEEN "
                                        ":now - interval '30 days' AND :now - interval '4 days'"),
    ({"overdue": "1"}, f"status IN {OPEN} AND due_at < :now"),
    ({"overdue": "1", "status": EVERY_STATUS}, f"status IN {OPEN} AND due_at < :now"),
    ({"overdue": "1", "category": "{lights}", "person": "me"},
     f"status IN {OPEN} AND due_at < :now AND category_id = :lights AND assigned_user_id = :me"),
]


def _ids_of(world):
    return {"potholes": world.potholes, "lights": world.lights, "zone_a": world.zone_a,
            "me": world.users["handler_a"], "colleague": world.users["colleague_a"]}


def _filled(query, ids):
    return {key: [v.format(**ids) for v in value] if isinstance(value, list)
            else value.format(**ids) for key, value in query.items()}


@pytest.mark.parametrize(("query", "where"), FILTERS, ids=[str(q) for q, _ in FILTERS])
def test_each_filter_finds_what_the_same_filter_in_sql_finds(session, world, query, where):
    ids = _ids_of(world)
    page = _page(session, world, **_filled(query, ids))
    expected = _sql_ids(session, f"assigned_party_id = :unit AND {where}",
                        unit=world.unit_a, **ids)
    assert expected, "the world has reports for every filter"
    assert [entry.report.id for entry in page.entries] == expected
    assert page.total == len(expected)
    counted = dict(session.execute(text(
        f"SELECT status, count(*) FROM report WHERE assigned_party_id = :unit AND {where} "
        "GROUP BY status"), {"now": NOW, "unit": world.unit_a, **ids}).all())
    assert {str(count.status): count.reports for count in page.counts} == counted


def test_overdue_count_is_of_open_reports_past_their_due_date(session, world):
    page = _page(session, world, status=EVERY_STATUS)
    late = _sql_ids(session, f"assigned_party_id = :unit AND status IN {OPEN} AND due_at < :now",
                    unit=world.unit_a)
    assert page.overdue == len(late) == 3  # the fixed and closed ones are past due, not late
    assert {e.report.id for e in page.entries if e.late_days is not None} == set(late)


def test_party_filter_of_an_admin_shows_that_partys_reports_only(session, world):
    page = _page(session, world, user="admin", party=str(world.unit_b), status=EVERY_STATUS)
    assert [e.report.id for e in page.entries] == _sql_ids(
        session, "assigned_party_id = :unit", unit=world.unit_b)


# Statuses in the state machine's order (not the enum's: values added later come last).
SORTS = {
    "received": "created_at",
    "updated": "updated_at",
    "due": "due_at",
    "status": "array_position(ARRAY['received', 'triage', 'assigned', 'in_progress', "
              "'waiting', 'fixed', 'closed', 'not_ours', 'duplicate', 'rejected', "
              "'withdrawn']::report_status[], status)",
    "category": "(SELECT name_en FROM category c WHERE c.id = category_id)",
}


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("sort", list(SORTS))
def test_each_sort_orders_as_sql_does_with_the_id_breaking_ties(session, world, sort, order):
    page = _page(session, world, user="admin", status=EVERY_STATUS, sort=sort, order=order)
    expected = _sql_ids(session, "true", f"{SORTS[sort]} {order} NULLS LAST, id {order}")
    assert [entry.report.id for entry in page.entries] == expected


def test_a_sort_without_an_order_takes_the_columns_natural_one(session, world):
    assert _page(session, world, sort="due").filter.order == "asc"
    assert _page(session, world, sort="updated").filter.order == "desc"
    assert _page(session, world).filter.order == "desc"


def _add_reports(session, world, count: int) -> None:
    session.execute(text("""
        INSERT INTO report (category_id, description, status, assigned_party_id,
                            follow_up_nonce, follow_up_token_hash, created_at)
        SELECT :category, 'Lisää ' || k, 'assigned', :unit, md5('n' || k), md5('t' || k),
               :now - make_interval(hours => k)
        FROM generate_series(1, :count) k"""),
        {"category": world.lights, "unit": world.unit_a, "now": NOW, "count": count})
    session.commit()  # (into the test's transaction): the pages' requests see them


def test_pages_hold_fifty_reports_each_and_together_the_whole_list(client, session, world):
    _add_reports(session, world, 120)
    expected = _sql_ids(session, f"assigned_party_id = :unit AND status IN {OPEN}",
                        unit=world.unit_a)
    assert len(expected) == 126
    sign_in(client, session, world.users["handler_a"])
    seen = []
    for number, size in ((1, 50), (2, 50), (3, 26)):
        body = client.get(f"/staff/?page={number}").get_data(as_text=True)
        rows = [int(found) for found in ROW_LINK.findall(body)]
        assert len(rows) == size
        assert f"Reports {50 * (number - 1) + 1}–{50 * (number - 1) + size} of 126" in body
        assert re.search(rf'<a href="[^"]*page={number}[^"]*" aria-current="page">', body)
        seen += rows
    assert seen == expected
    beyond = client.get("/staff/?page=99").get_data(as_text=True)
    assert [int(found) for found in ROW_LINK.findall(beyond)] == expected[100:]
    assert 'rel="next"' not in beyond and 'rel="prev"' in beyond


def test_links_of_a_page_keep_its_filters(client, session, world):
    sign_in(client, session, world.users["handler_a"])
    _add_reports(session, world, 60)
    body = client.get(f"/staff/?category={world.lights}&overdue=0&sort=due").get_data(
        as_text=True)
    next_link = re.search(r'<a href="([^"]+)" rel="next">', body).group(1)
    assert f"category={world.lights}" in next_link and "sort=due" in next_link
    assert "page=2" in next_link
    due_heading = re.search(r'<th scope="col" aria-sort="ascending">\s*<a href="([^"]+)">Due',
                            body)
    assert due_heading and "order=desc" in due_heading.group(1)


# (query, the parameter the page names); {ids} filled from the world.
BAD_FILTERS = [
    ("status=bogus", "status"),
    ("category=abc", "category"),
    ("category=999999", "category"),
    ("min_age=-1", "min_age"),
    ("max_age=40000", "max_age"),
    ("min_age=10&max_age=5", "min_age"),
    ("overdue=maybe", "overdue"),
    ("person=someone", "person"),
    ("sort=colour", "sort"),
    ("order=up", "order"),
    ("page=0", "page"),
    ("page=1e3", "page"),
    ("party={unit_b}", "party"),  # a handler of A may not look into B
    ("zone={zone_b}", "zone"),
    ("person={handler_b}", "person"),
]
MESSAGES = {
    "status": "Choose statuses from the list.", "category": "Choose a category from the list.",
    "min_age": "no more than the “at most” age", "max_age": "Give the age in whole days",
    "overdue": "Tick the box or leave it empty.", "person": "Choose a person from the list.",
    "sort": "Sort by one of the columns.", "order": "Sort by one of the columns.",
    "page": "Give the page as a number", "party": "Choose a party from the list.",
    "zone": "Choose a zone from the list.",
}


@pytest.mark.parametrize(("query", "field"), BAD_FILTERS, ids=[q for q, _ in BAD_FILTERS])
def test_a_filter_that_cannot_be_used_gets_a_422_page_naming_it(client, session, world, query,
                                                                field):
    sign_in(client, session, world.users["handler_a"])
    filled = query.format(unit_b=world.unit_b, zone_b=world.zone_b,
                          handler_b=world.users["handler_b"])
    response = client.get(f"/staff/?{filled}")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert MESSAGES[field] in body and f'href="#filter-{field}"' in body
    assert f'id="filter-{field}"' in body
    assert "<table" not in body and "Puiston lamppu B" not in body


def test_the_refused_filter_is_shown_as_given_and_marked(client, session, world):
    sign_in(client, session, world.users["handler_a"])
    body = client.get("/staff/?min_age=abc&category=" + str(world.lights)).get_data(
        as_text=True)
    assert re.search(r'name="min_age"[^>]*value="abc"[^>]*aria-invalid="true"', body)
    assert f'<option value="{world.lights}" selected>' in body
