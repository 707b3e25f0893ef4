"""A city's four years of reports for the managers' figures benchmark, made inside
PostgreSQL (generate_series), in creation order as a real table fills.

- 20 parties, every fourth a contractor; 100 zones tiling the 36 x 24 km city as a 10 x 10
  grid, five per party; a report is assigned to the zone its point falls in (or the nearest
  edge one) and that zone's party. One manager and one handler of the first unit sign in.
- Places: 30% of the reports at one of a few thousand problem spots (within ~12 m of it,
  of the spot's category; a few spots much busier than the rest), the others spread as the
  public map's city (bench/public_map_data.py: a dense centre, suburbs, a thin spread),
  somewhat wider.
- Times: more reports in later years; each report takes a handling time drawn around its
  category's handling days (a few take very long), and is still open when that has not
  passed yet. Ended ones are fixed or closed, some rejected, not ours, duplicates (their
  status; merged_into_id is left empty, the figures count by status) or withdrawn.
  first_response_at, fixed_at and due_at are set directly: no report_event rows are
  written (their trigger, which keeps those two columns, has nothing to do). 3% of the
  fixed were reopened once or twice before, and 2% of those in progress are reopened now.
- Mixes: 62% from a phone (6% of them sent offline), 30% from a computer, 8% by another
  system; 55% with a contact; 85% in Finnish, 10% in Swedish, 5% in English.
Every time is at least an hour old, so the 5-minute refresh finds only what the benchmark
changes. None is public, so the map's counts (map_cell) stay right with their insert
trigger off during the load (as in the other generators).
"""
from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from bench.database import generate_reports
from bench.public_map_data import (
    CENTRE,
    METRES_PER_DEGREE_LAT,
    METRES_PER_DEGREE_LON,
    create_categories,
)
from feedbackgis.domain.permissions import Role

PARTIES = 20
GRID = 10  # zones: GRID x GRID cells over the city
CITY_M = (36_000, 24_000)  # width and height of the city, metres, centred on CENTRE
YEARS = 4
AT_SPOTS = 0.30  # the share of reports at a problem spot
REPORTS_PER_SPOT = 400  # 2,500 spots for a million reports
SPOT_RADIUS_M = 12.0  # the spread of a spot's reports (a normal's sigma)

_CELL = (CITY_M[0] / GRID, CITY_M[1] / GRID)


def _lon(dx: str) -> str:
    return f"({CENTRE[0]} + ({dx}) / {METRES_PER_DEGREE_LON})"


def _lat(dy: str) -> str:
    return f"({CENTRE[1]} + ({dy}) / {METRES_PER_DEGREE_LAT})"


CATALOG = f"""
INSERT INTO party (kind, name, emails, language)
SELECT CASE WHEN mod(g, 4) = 0 THEN 'contractor' ELSE 'unit' END::party_kind,
       CASE WHEN mod(g, 4) = 0 THEN 'Contractor ' ELSE 'Unit ' END || lpad(g::text, 2, '0'),
       '{{}}', CASE WHEN mod(g, 7) = 0 THEN 'sv' ELSE 'fi' END
FROM generate_series(1, {PARTIES}) g;
INSERT INTO zone (party_id, name, source, geom)
SELECT (SELECT array_agg(id ORDER BY id) FROM party)[1 + mod(z, {PARTIES})],
       'Zone ' || lpad((z + 1)::text, 3, '0'), 'bench',
       ST_Multi(ST_MakeEnvelope(
           {_lon(f"-{CITY_M[0] / 2} + mod(z, {GRID}) * {_CELL[0]}")},
           {_lat(f"-{CITY_M[1] / 2} + (z / {GRID}) * {_CELL[1]}")},
           {_lon(f"-{CITY_M[0] / 2} + (mod(z, {GRID}) + 1) * {_CELL[0]}")},
           {_lat(f"-{CITY_M[1] / 2} + (z / {GRID} + 1) * {_CELL[1]}")}, 4326))
FROM generate_series(0, {GRID * GRID - 1}) z ORDER BY z;
INSERT INTO staff_user (email, name, role, active, failed_logins)
VALUES ('manager@bench.example', 'Manager', '{Role.MANAGER.value}', true, 0);
INSERT INTO staff_user (email, name, role, party_id, active, failed_logins)
SELECT 'handler@bench.example', 'Handler', '{Role.HANDLER.value}', min(id), true, 0
FROM party WHERE kind = 'unit';
"""

# A place in the city as offsets in metres (r1, r2 uniform; r_place picks the ring): as the
# public map's generator spreads its reports, but wider (30% within ~3 km of the centre,
# 40% within ~8 km, 30% anywhere), so that the dense centre does not by itself join into
# hot spots at four times Helsinki's yearly reports.
_RING = """CASE WHEN {r_place} < 0.30 THEN 3000 WHEN {r_place} < 0.70 THEN 8000 END"""
_DX = ("CASE WHEN {s} IS NULL THEN ({r1} - 0.5) * " + str(CITY_M[0]) +
       " ELSE {s} * sqrt(-2 * ln(1 - {r1})) * cos(2 * pi() * {r2}) END")
_DY = ("CASE WHEN {s} IS NULL THEN ({r2} - 0.5) * " + str(CITY_M[1]) +
       " ELSE {s} * sqrt(-2 * ln(1 - {r1})) * sin(2 * pi() * {r2}) END")

SPOTS = f"""
CREATE TEMPORARY TABLE bench_spot ON COMMIT DROP AS
SELECT s, {_DX.format(s="sigma", r1="r1", r2="r2")} AS dx,
       {_DY.format(s="sigma", r1="r1", r2="r2")} AS dy, category_rank
FROM (SELECT s, random() AS r1, random() AS r2,
             {_RING.format(r_place="random()")} AS sigma,
             1 + floor(10 * power(random(), 1.3))::int AS category_rank
      FROM generate_series(1, :spots) AS s) AS g
"""

_OPEN = "r.handle_days >= r.age_days"
_ENDED_STATUS = """CASE WHEN r.r_status < 0.03 THEN 'rejected'
                        WHEN r.r_status < 0.05 THEN 'not_ours'
                        WHEN r.r_status < 0.09 THEN 'duplicate'
                        WHEN r.r_status < 0.10 THEN 'withdrawn'
                        WHEN r.r_status < 0.80 AND r.age_days > r.handle_days + 14 THEN 'closed'
                        ELSE 'fixed' END"""
_OPEN_STATUS = """CASE WHEN r.r_status < 0.005 THEN 'received'
                       WHEN r.r_status < 0.04 THEN 'triage'
                       WHEN r.r_status < 0.35 THEN 'assigned'
                       WHEN r.r_status < 0.75 THEN 'in_progress'
                       ELSE 'waiting' END"""

GENERATE_REPORTS = f"""
WITH ids AS (
    SELECT (SELECT array_agg(id ORDER BY id) FROM zone) AS zones,
           (SELECT array_agg(party_id ORDER BY id) FROM zone) AS zone_parties,
           (SELECT array_agg(id ORDER BY id) FROM category) AS categories,
           (SELECT array_agg(handling_days ORDER BY id) FROM category) AS handling,
           (SELECT array_agg(dx ORDER BY s) FROM bench_spot) AS spot_dx,
           (SELECT array_agg(dy ORDER BY s) FROM bench_spot) AS spot_dy,
           (SELECT array_agg(category_rank ORDER BY s) FROM bench_spot) AS spot_category,
           now() - interval '1 hour' AS newest
), g AS (
    SELECT k, random() < {AT_SPOTS} AS at_spot,
           1 + floor(:spots * power(random(), 1.6))::int AS spot,
           random() AS r_place, random() AS r1, random() AS r2, random() AS j1, random() AS j2,
           {YEARS} * 365.25 * power(random(), 1.25) AS age_days,
           random() AS r_handle, random() AS r_status, random() AS r_response,
           random() AS r_assigned_answered, random() AS r_device, random() AS r_offline,
           random() AS r_contact, random() AS r_language, random() AS r_reopen,
           random() AS r_updated,
           1 + floor(10 * power(random(), 1.3))::int AS scattered_category
    FROM generate_series(1, :n) AS k
), placed AS (
    SELECT g.*, p.dx, p.dy,
           CASE WHEN g.at_spot THEN ids.spot_category[g.spot]
                ELSE g.scattered_category END AS category_rank
    FROM g CROSS JOIN ids
    CROSS JOIN LATERAL (SELECT {_RING.format(r_place="g.r_place")} AS sigma) AS ring
    CROSS JOIN LATERAL (
        SELECT CASE WHEN g.at_spot
                    THEN ids.spot_dx[g.spot] + {SPOT_RADIUS_M} * sqrt(-2 * ln(1 - g.j1))
                                                * cos(2 * pi() * g.j2)
                    ELSE {_DX.format(s="ring.sigma", r1="g.r1", r2="g.r2")} END AS dx,
               CASE WHEN g.at_spot
                    THEN ids.spot_dy[g.spot] + {SPOT_RADIUS_M} * sqrt(-2 * ln(1 - g.j1))
                                                * sin(2 * pi() * g.j2)
                    ELSE {_DY.format(s="ring.sigma", r1="g.r1", r2="g.r2")} END AS dy
    ) AS p
), r AS (
    SELECT placed.*, handled.handle_days,
           1 + least({GRID - 1}, greatest(0, floor((dy + {CITY_M[1] / 2}) / {_CELL[1]})))::int
               * {GRID}
             + least({GRID - 1}, greatest(0, floor((dx + {CITY_M[0] / 2}) / {_CELL[0]})))::int
               AS zone_rank,
           least(0.05 + 3 * power(r_response, 2), handled.handle_days) AS response_days
    FROM placed CROSS JOIN ids
    CROSS JOIN LATERAL (
        SELECT CASE WHEN r_handle > 0.97 THEN 60 + 2000 * (r_handle - 0.97)
                    ELSE 0.3 + ids.handling[category_rank] * 2.5 * power(r_handle, 1.6)
               END AS handle_days
    ) AS handled
), s AS (
    SELECT r.*, (CASE WHEN {_OPEN} THEN {_OPEN_STATUS} ELSE {_ENDED_STATUS} END) AS status,
           ids.newest - make_interval(secs => r.age_days * 86400) AS created_at
    FROM r CROSS JOIN ids
), t AS (
    SELECT s.*,
           s.status IN ('received', 'triage') AS without_party,
           CASE WHEN s.status IN ('fixed', 'closed')
                THEN s.created_at + make_interval(secs => s.handle_days * 86400) END
               AS fixed_at,
           CASE WHEN s.status IN ('fixed', 'closed', 'not_ours', 'duplicate', 'rejected')
                  OR (s.status IN ('in_progress', 'waiting')
                      AND s.response_days < s.age_days)
                  OR (s.status = 'assigned' AND s.response_days < s.age_days
                      AND s.r_assigned_answered < 0.3)
                THEN s.created_at + make_interval(secs => s.response_days * 86400) END
               AS first_response_at
    FROM s
)
INSERT INTO report (category_id, location, description, language, status, is_public,
                    assigned_party_id, assigned_zone_id, due_at, reopen_count,
                    submitted_from, sent_offline, with_contact, first_response_at, fixed_at,
                    follow_up_nonce, follow_up_token_hash, created_at, updated_at)
SELECT ids.categories[t.category_rank],
       ST_SetSRID(ST_MakePoint({_lon("t.dx")}, {_lat("t.dy")}), 4326),
       'Figures bench report ' || t.k,
       CASE WHEN t.r_language < 0.85 THEN 'fi' WHEN t.r_language < 0.95 THEN 'sv' ELSE 'en' END,
       t.status::report_status, false,
       CASE WHEN NOT t.without_party THEN ids.zone_parties[t.zone_rank] END,
       CASE WHEN NOT t.without_party THEN ids.zones[t.zone_rank] END,
       CASE WHEN NOT t.without_party
            THEN t.created_at + make_interval(days => ids.handling[t.category_rank] * 7 / 5) END,
       CASE WHEN t.status IN ('fixed', 'closed') AND t.r_reopen < 0.005 THEN 2
            WHEN t.status IN ('fixed', 'closed') AND t.r_reopen < 0.03 THEN 1
            WHEN t.status = 'in_progress' AND t.r_reopen < 0.02 THEN 1 ELSE 0 END,
       CASE WHEN t.r_device < 0.62 THEN 'phone' WHEN t.r_device < 0.92 THEN 'computer'
            ELSE 'system' END,
       t.r_device < 0.62 AND t.r_offline < 0.06, t.r_contact < 0.55,
       t.first_response_at, t.fixed_at,
       md5('nonce' || t.k), md5('token' || t.k), t.created_at,
       CASE WHEN {_OPEN.replace("r.", "t.")}
            THEN greatest(t.first_response_at,
                          t.created_at + make_interval(secs => t.age_days * t.r_updated * 86400))
            ELSE least(ids.newest, t.created_at + make_interval(
                secs => (t.handle_days + CASE WHEN t.status = 'closed' THEN 14 ELSE 0 END)
                         * 86400)) END
FROM t CROSS JOIN ids
ORDER BY t.age_days DESC
"""


def spots_for(count: int) -> int:
    return max(50, count // REPORTS_PER_SPOT)


def load_figures_data(engine: Engine, count: int, seed: int) -> float:
    """The catalog, two staff users and `count` reports; the seconds the reports took."""
    with sessionmaker(engine)() as session:
        create_categories(session)
        session.commit()
    seeded = ("SELECT setseed(:s)", {"s": (seed % 1_000_000) / 1_000_000})
    spots = (SPOTS, {"spots": spots_for(count)})
    return generate_reports(engine, GENERATE_REPORTS, {"n": count, "spots": spots_for(count)},
                            catalog=CATALOG, before=(seeded, spots))


def data_sizes(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(text("""
            SELECT 'reports', count(*) FROM report
            UNION ALL SELECT 'last 12 months', count(*) FROM report
                WHERE created_at >= now() - interval '12 months'
            UNION ALL SELECT 'open', count(*) FROM report
                WHERE status IN ('received', 'triage', 'assigned', 'in_progress', 'waiting')
            UNION ALL SELECT 'fixed', count(*) FROM report WHERE fixed_at IS NOT NULL
            UNION ALL SELECT 'reopened', count(*) FROM report WHERE reopen_count > 0
            UNION ALL SELECT 'duplicates', count(*) FROM report WHERE status = 'duplicate'
            UNION ALL SELECT 'report bytes', pg_total_relation_size('report')
        """)).all())
