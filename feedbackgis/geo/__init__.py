"""Coordinate reference systems, axis order and geometry conversions (no SQL, no Flask)."""
