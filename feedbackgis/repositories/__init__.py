"""The only home of spatial SQL (ST_* functions): queries run inside PostGIS on GiST indexes."""
