"""Synthetic but realistic zones in EPSG:3067 (around Helsinki), written to a GeoPackage.

Two layers of a city's zones, in one file:
- maintenance areas: a tessellation of jittered quadrilateral cells (250-900 m a side) whose
  edges wiggle through a few extra vertices shared exactly with the neighbour, some with a
  hole (a park nobody maintains), mostly for every category, a few limited to some;
- contract areas: wobbly circles and stars 1.5-5 km in radius with 2,000-5,000 vertices,
  each spanning many cells and overlapping a handful of other contract areas.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely

CRS = "EPSG:3067"
ORIGIN = (360_000.0, 6_650_000.0)  # south-west corner of the cell grid, Espoo
CONTRACT_SHARE = 0.05  # of all zones; 500 of 10,000
CELL_SIDE = (250.0, 900.0)
NODE_JITTER = 35.0  # metres, each grid node
EDGE_WIGGLE = 0.05  # of an edge's length, each extra vertex across the edge
EXTRA_EDGE_VERTICES = (1, 6)
HOLE_SHARE = 0.05
CONTRACT_RADIUS = (1_500.0, 5_000.0)
CONTRACT_VERTICES = (2_000, 5_000)

CATEGORIES = ("streetlights", "potholes", "graffiti", "litter", "snow", "parks",
              "traffic-signs", "water", "trees", "playgrounds")
UNITS = 8  # parties 1-8 are the city's units; the rest contractors
PARTIES = 20


@dataclass(frozen=True)
class ZoneSet:
    geometries: list[shapely.Polygon]  # EPSG:3067
    names: list[str]
    parties: list[str]
    priorities: list[int]
    categories: list[str]  # comma-separated codes; "" for every category
    contract: np.ndarray  # bool: a contract area (True) or a maintenance cell

    def __len__(self) -> int:
        return len(self.geometries)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return tuple(shapely.total_bounds(np.asarray(self.geometries, dtype=object)))


def party_names() -> list[str]:
    units = [f"Unit {i:02d}" for i in range(1, UNITS + 1)]
    return units + [f"Contractor {i:02d}" for i in range(UNITS + 1, PARTIES + 1)]


def generate_zones(count: int, rng: np.random.Generator) -> ZoneSet:
    contracts = max(1, round(count * CONTRACT_SHARE))
    cells = _cells(count - contracts, rng)
    extent = shapely.total_bounds(np.asarray([c[0] for c in cells], dtype=object))
    areas = [_contract_area(extent, rng) for _ in range(contracts)]
    rows = cells + areas
    return ZoneSet(
        geometries=[r[0] for r in rows],
        names=[r[1] for r in rows],
        parties=[r[2] for r in rows],
        priorities=[r[3] for r in rows],
        categories=[r[4] for r in rows],
        contract=np.asarray([False] * len(cells) + [True] * len(areas)),
    )


def write_geopackage(zones: ZoneSet, path: Path) -> None:
    pyogrio.raw.write(
        str(path),
        geometry=np.asarray(shapely.to_wkb(zones.geometries), dtype=object),
        field_data=[
            np.asarray(zones.names, dtype=object),
            np.asarray(zones.parties, dtype=object),
            np.asarray(zones.priorities, dtype=np.int32),
            np.asarray(zones.categories, dtype=object),
        ],
        fields=["name", "party", "priority", "categories"],
        layer="zones", driver="GPKG", geometry_type="Polygon", crs=CRS,
    )


def _cells(count: int, rng: np.random.Generator) -> list[tuple]:
    columns = int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / columns))
    xs = ORIGIN[0] + np.concatenate([[0], np.cumsum(rng.uniform(*CELL_SIDE, columns))])
    ys = ORIGIN[1] + np.concatenate([[0], np.cumsum(rng.uniform(*CELL_SIDE, rows))])
    nodes = np.stack(np.meshgrid(xs, ys), axis=-1)  # [row, column, xy]
    nodes += rng.uniform(-NODE_JITTER, NODE_JITTER, nodes.shape)
    # Each edge is drawn once, so both cells beside it share its vertices exactly.
    across = [[_edge(nodes[i, j], nodes[i, j + 1], rng) for j in range(columns)]
              for i in range(rows + 1)]
    up = [[_edge(nodes[i, j], nodes[i + 1, j], rng) for j in range(columns + 1)]
          for i in range(rows)]
    units = party_names()[:UNITS]
    cells = []
    for n in range(count):
        i, j = divmod(n, columns)
        ring = np.concatenate([across[i][j][:-1], up[i][j + 1][:-1],
                               across[i + 1][j][::-1][:-1], up[i][j][::-1]])
        holes = [_hole(ring, rng)] if rng.random() < HOLE_SHARE else []
        district = (i // 12) * 97 + j // 12  # neighbouring cells share a unit
        cells.append((
            shapely.Polygon(ring, holes),
            f"Maintenance area {i + 1}-{j + 1}",
            units[district % UNITS],
            int(rng.integers(0, 2)),
            _category_codes(rng, limited_share=0.2),
        ))
    return cells


def _edge(start: np.ndarray, end: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Vertices from start to end (both included), the extra ones pushed across the edge."""
    extra = int(rng.integers(EXTRA_EDGE_VERTICES[0], EXTRA_EDGE_VERTICES[1] + 1))
    t = np.arange(1, extra + 1) / (extra + 1)
    direction = end - start
    normal = np.array([-direction[1], direction[0]])  # as long as the edge
    offsets = rng.uniform(-EDGE_WIGGLE, EDGE_WIGGLE, extra)
    inner = start + t[:, None] * direction + offsets[:, None] * normal
    return np.vstack([start, inner, end])


def _hole(ring: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    center = ring.mean(axis=0)
    radius = 0.12 * float(np.min(ring.max(axis=0) - ring.min(axis=0)))
    return _wobbly_ring(center, radius, int(rng.integers(8, 17)), 0.15, rng)


def _contract_area(extent: np.ndarray, rng: np.random.Generator) -> tuple:
    center = rng.uniform(extent[:2], extent[2:])
    radius = rng.uniform(*CONTRACT_RADIUS)
    vertices = int(rng.integers(CONTRACT_VERTICES[0], CONTRACT_VERTICES[1] + 1))
    ring = _wobbly_ring(center, radius, vertices, rng.uniform(0.0, 0.35), rng)
    number = int(rng.integers(1, 10_000))
    return (
        shapely.Polygon(ring),
        f"Contract area {number:04d}",
        party_names()[int(rng.integers(UNITS, PARTIES))],
        int(rng.integers(0, 6)),
        _category_codes(rng, limited_share=0.6),
    )


def _wobbly_ring(center: np.ndarray, radius: float, vertices: int, star: float,
                 rng: np.random.Generator) -> np.ndarray:
    """A ring star-shaped around its centre (so always simple): a circle with `star`-deep
    points, slower wobbles and a little noise."""
    theta = np.linspace(0.0, 2 * np.pi, vertices, endpoint=False)
    points, phase = rng.integers(3, 13), rng.uniform(0, 2 * np.pi, 2)
    wobble = rng.uniform(0.0, 0.1)
    r = radius * (1 + star * np.sin(points * theta + phase[0])
                  + wobble * np.sin(rng.integers(20, 61) * theta + phase[1])
                  + rng.uniform(-0.005, 0.005, vertices))
    ring = center + np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    return np.vstack([ring, ring[:1]])


def _category_codes(rng: np.random.Generator, limited_share: float) -> str:
    if rng.random() >= limited_share:
        return ""
    chosen = rng.choice(len(CATEGORIES), size=int(rng.integers(1, 4)), replace=False)
    return ",".join(CATEGORIES[k] for k in sorted(chosen))
