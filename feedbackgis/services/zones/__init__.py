"""Zones and the service area: importing files in any CRS, listing, deleting."""
