"""A million reports for the staff inbox benchmark, made inside PostgreSQL (generate_series).

Twenty units with five zones and ten handlers each, and one admin. The benchmark's unit
(the first) has 10,000 open reports (assigned, in progress or waiting; received in the last
four months; due 14 days after; 60% with a person) and 40,000 dealt with over ten years.
The other units share 20,000 open and the rest dealt with; 2,000 wait in triage without a
unit. Reports are inserted in creation order, as a real table fills. None is public, so the
public map's counts (map_cell) have nothing to count and stay right with their insert
trigger off during the load.
"""
from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from bench.database import generate_reports
from bench.public_map_data import CENTRE, create_categories
from feedbackgis.domain.permissions import Role

UNITS = 20
ZONES_PER_UNIT = 5
HANDLERS_PER_UNIT = 10
UNIT_OPEN = 10_000
UNIT_ENDED = 40_000
OTHERS_OPEN = 20_000
TRIAGE = 2_000
HANDLING_DAYS = 14

CATALOG = f"""
INSERT INTO party (kind, name, emails)
SELECT 'unit', 'Bench unit ' || lpad(g::text, 2, '0'), '{{}}' FROM generate_series(1, {UNITS}) g;
INSERT INTO zone (party_id, name, source, geom)
SELECT p.id, 'Zone ' || p.id || '-' || z, 'bench',
       ST_Multi(ST_MakeEnvelope(24.70 + z * 0.05, 60.10, 24.75 + z * 0.05, 60.30, 4326))
FROM party p CROSS JOIN generate_series(1, {ZONES_PER_UNIT}) z ORDER BY p.id, z;
INSERT INTO staff_user (email, name, role, party_id, active, failed_logins)
SELECT 'handler-' || p.id || '-' || u || '@bench.example', 'Handler ' || p.id || '-' || u,
       '{Role.HANDLER.value}', p.id, true, 0
FROM party p CROSS JOIN generate_series(1, {HANDLERS_PER_UNIT}) u ORDER BY p.id, u;
INSERT INTO staff_user (email, name, role, active, failed_logins)
VALUES ('admin@bench.example', 'Admin', '{Role.ADMIN.value}', true, 0);
"""

# Segments by k: the unit's open reports, the unit's ended ones, the others' open ones,
# triage, and the others' ended ones. party_rank 1 is the benchmark's unit.
GENERATE_REPORTS = f"""
WITH ids AS (
    SELECT (SELECT array_agg(id ORDER BY id) FROM party) AS parties,
           (SELECT array_agg(id ORDER BY party_id, id) FROM zone) AS zones,
           (SELECT array_agg(id ORDER BY party_id, id) FROM staff_user
            WHERE party_id IS NOT NULL) AS people,
           (SELECT array_agg(id ORDER BY id) FROM category) AS categories
), g AS (
    SELECT k,
           CASE WHEN k <= {UNIT_OPEN} THEN 'unit_open'
                WHEN k <= {UNIT_OPEN + UNIT_ENDED} THEN 'unit_ended'
                WHEN k <= {UNIT_OPEN + UNIT_ENDED + OTHERS_OPEN} THEN 'others_open'
                WHEN k <= {UNIT_OPEN + UNIT_ENDED + OTHERS_OPEN + TRIAGE} THEN 'triage'
                ELSE 'others_ended' END AS segment,
           random() AS r_status, random() AS r_person, random() AS r_who, random() AS r_zone,
           random() AS r_party,
           random() AS r_age, random() AS r_updated, random() AS r1, random() AS r2,
           1 + floor(10 * power(random(), 1.7))::int AS category_rank
    FROM generate_series(1, :n) AS k
), r AS (
    SELECT g.*,
           CASE WHEN segment LIKE 'unit%' THEN 1 WHEN segment = 'triage' THEN NULL
                ELSE 2 + floor(r_party * {UNITS - 1})::int END AS party_rank,
           segment LIKE '%open' OR segment = 'triage' AS open,
           CASE WHEN segment LIKE '%open' OR segment = 'triage' THEN 120 * power(r_age, 1.5)
                ELSE 3652 * power(r_age, 1.3) END AS age_days
    FROM g
)
INSERT INTO report (category_id, location, description, status, is_public,
                    assigned_party_id, assigned_zone_id, assigned_user_id, due_at,
                    follow_up_nonce, follow_up_token_hash, created_at, updated_at)
SELECT ids.categories[r.category_rank],
       ST_SetSRID(ST_MakePoint({CENTRE[0]} + (r.r1 - 0.5) * 0.4,
                               {CENTRE[1]} + (r.r2 - 0.5) * 0.2), 4326),
       'Bench report ' || r.k,
       (CASE WHEN r.segment = 'triage' THEN 'triage'
             WHEN r.open THEN (ARRAY['assigned', 'in_progress', 'waiting'])
                              [1 + floor(r.r_status * 3)::int]
             ELSE (ARRAY['fixed', 'closed', 'closed', 'not_ours', 'rejected'])
                  [1 + floor(r.r_status * 5)::int] END)::report_status,
       false,
       ids.parties[r.party_rank],
       CASE WHEN r.party_rank IS NOT NULL
            THEN ids.zones[(r.party_rank - 1) * {ZONES_PER_UNIT} + 1
                           + floor(r.r_zone * {ZONES_PER_UNIT})::int] END,
       CASE WHEN r.party_rank IS NOT NULL AND r.r_person < (CASE WHEN r.open THEN 0.6 ELSE 0.8 END)
            THEN ids.people[(r.party_rank - 1) * {HANDLERS_PER_UNIT} + 1
                            + floor(r.r_who * {HANDLERS_PER_UNIT})::int] END,
       CASE WHEN r.party_rank IS NOT NULL
            THEN now() - make_interval(secs => r.age_days * 86400)
                 + interval '{HANDLING_DAYS} days' END,
       md5('nonce' || r.k), md5('token' || r.k),
       now() - make_interval(secs => r.age_days * 86400),
       now() - make_interval(secs => r.age_days * r.r_updated * 86400)
FROM r CROSS JOIN ids
ORDER BY r.age_days DESC
"""


def load_inbox_data(engine: Engine, count: int) -> float:
    """The catalog, the staff and `count` reports; returns the seconds the reports took."""
    with sessionmaker(engine)() as session:
        create_categories(session)
        session.commit()
    return generate_reports(engine, GENERATE_REPORTS, {"n": count}, catalog=CATALOG)


def data_sizes(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(text("""
            SELECT 'reports', count(*) FROM report
            UNION ALL SELECT 'open', count(*) FROM report
                WHERE status IN ('received', 'triage', 'assigned', 'in_progress', 'waiting')
            UNION ALL SELECT 'unit reports', count(*) FROM report
                WHERE assigned_party_id = (SELECT min(id) FROM party)
            UNION ALL SELECT 'unit open', count(*) FROM report
                WHERE assigned_party_id = (SELECT min(id) FROM party)
                  AND status IN ('received', 'triage', 'assigned', 'in_progress', 'waiting')
            UNION ALL SELECT 'unit overdue', count(*) FROM report
                WHERE assigned_party_id = (SELECT min(id) FROM party) AND due_at < now()
                  AND status IN ('received', 'triage', 'assigned', 'in_progress', 'waiting')
            UNION ALL SELECT 'inbox index bytes', pg_relation_size('ix_report_inbox')
        """)).all())
