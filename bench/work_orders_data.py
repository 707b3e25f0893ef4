"""A million reports for the work-order list benchmark, made inside PostgreSQL.

Twenty parties, the first of them the benchmark's contractor with one account. The
contractor holds 1,000 open work orders (assigned, in progress or waiting; received in the
last two months; due from 30 days ago to 30 days ahead; all but 2% with a point, within
about 15 km of the centre) and 9,000 dealt with over ten years. The other parties share the
rest, 3% of it open; 2,000 wait in triage. Inserted in creation order, as a real table
fills; none public (see bench/staff_inbox_data.py: the map's counts stay right).
"""
from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from bench.database import generate_reports
from bench.public_map_data import CENTRE, create_categories
from feedbackgis.domain.permissions import Role

PARTIES = 20
CONTRACTOR_OPEN = 1_000
CONTRACTOR_ENDED = 9_000
TRIAGE = 2_000
OTHERS_OPEN_SHARE = 0.03

CATALOG = f"""
INSERT INTO party (kind, name, emails)
SELECT CASE WHEN mod(g, 2) = 1 THEN 'contractor' ELSE 'unit' END::party_kind,
       'Bench party ' || lpad(g::text, 2, '0'), '{{}}'
FROM generate_series(1, {PARTIES}) g;
INSERT INTO staff_user (email, name, role, party_id, active, failed_logins)
SELECT 'contractor-' || p.id || '@bench.example', 'Contractor ' || p.id,
       '{Role.CONTRACTOR.value}', p.id, true, 0
FROM party p WHERE p.kind = 'contractor' ORDER BY p.id;
"""

GENERATE_REPORTS = f"""
WITH ids AS (
    SELECT (SELECT array_agg(id ORDER BY id) FROM party) AS parties,
           (SELECT array_agg(id ORDER BY id) FROM category) AS categories
), g AS (
    SELECT k,
           CASE WHEN k <= {CONTRACTOR_OPEN} THEN 'ours_open'
                WHEN k <= {CONTRACTOR_OPEN + CONTRACTOR_ENDED} THEN 'ours_ended'
                WHEN k <= {CONTRACTOR_OPEN + CONTRACTOR_ENDED + TRIAGE} THEN 'triage'
                WHEN random() < {OTHERS_OPEN_SHARE} THEN 'others_open'
                ELSE 'others_ended' END AS segment,
           random() AS r_status, random() AS r_party, random() AS r_age, random() AS r_due,
           random() AS r_place, random() AS r1, random() AS r2,
           1 + floor(10 * power(random(), 1.7))::int AS category_rank
    FROM generate_series(1, :n) AS k
), r AS (
    SELECT g.*,
           CASE WHEN segment LIKE 'ours%' THEN 1 WHEN segment = 'triage' THEN NULL
                ELSE 2 + floor(r_party * {PARTIES - 1})::int END AS party_rank,
           CASE WHEN segment LIKE '%open' OR segment = 'triage' THEN 60 * r_age
                ELSE 3652 * power(r_age, 1.3) END AS age_days
    FROM g
)
INSERT INTO report (category_id, location, description, status, is_public,
                    assigned_party_id, due_at, work_order_nonce,
                    follow_up_nonce, follow_up_token_hash, created_at, updated_at)
SELECT ids.categories[r.category_rank],
       CASE WHEN r.r_place >= 0.02 THEN
           ST_SetSRID(ST_MakePoint({CENTRE[0]} + (r.r1 - 0.5) * 0.5,
                                   {CENTRE[1]} + (r.r2 - 0.5) * 0.25), 4326) END,
       'Bench report ' || r.k,
       (CASE WHEN r.segment = 'triage' THEN 'triage'
             WHEN r.segment LIKE '%open' THEN (ARRAY['assigned', 'in_progress', 'waiting'])
                                              [1 + floor(r.r_status * 3)::int]
             ELSE (ARRAY['fixed', 'closed', 'closed', 'not_ours', 'rejected'])
                  [1 + floor(r.r_status * 5)::int] END)::report_status,
       false,
       ids.parties[r.party_rank],
       CASE WHEN r.party_rank IS NOT NULL
            THEN now() + make_interval(secs => (r.r_due - 0.5) * 60 * 86400) END,
       CASE WHEN r.segment LIKE '%open' THEN md5('work' || r.k) || md5('order' || r.k) END,
       md5('nonce' || r.k), md5('token' || r.k),
       now() - make_interval(secs => r.age_days * 86400),
       now() - make_interval(secs => r.age_days * 0.5 * 86400)
FROM r CROSS JOIN ids
ORDER BY r.age_days DESC
"""


def load_work_order_data(engine: Engine, count: int) -> float:
    """The catalog, the contractors' accounts and `count` reports; returns the seconds the
    reports took."""
    with sessionmaker(engine)() as session:
        create_categories(session)
        session.commit()
    return generate_reports(engine, GENERATE_REPORTS, {"n": count}, catalog=CATALOG)


def data_sizes(engine: Engine) -> dict[str, int]:
    open_statuses = "('received', 'triage', 'assigned', 'in_progress', 'waiting')"
    with engine.connect() as conn:
        return dict(conn.execute(text(f"""
            SELECT 'reports', count(*) FROM report
            UNION ALL SELECT 'open', count(*) FROM report WHERE status IN {open_statuses}
            UNION ALL SELECT 'contractor reports', count(*) FROM report
                WHERE assigned_party_id = (SELECT min(id) FROM party)
            UNION ALL SELECT 'contractor open', count(*) FROM report
                WHERE assigned_party_id = (SELECT min(id) FROM party)
                  AND status IN {open_statuses}
        """)).all())  # noqa: S608 - constants only
