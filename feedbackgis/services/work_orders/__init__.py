"""Work orders: a contractor's open reports, on a phone, through its account or a link.

links.py: the capability link of one work order (renewed on every assignment, ended when
the report leaves its party or the open statuses). access.py: who holds a work order, and
the report only when they do. listing.py, page.py: what the pages show. actions.py: accept,
start, done (with an after-photo), hand back.
"""
