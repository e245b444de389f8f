"""The connection to pretix (Qt-free): its REST API client, the mapping of its products, check-in
lists and questions onto the local event, the download of order positions as registrations, and
scans answered by pretix (``checkinrpc/redeem``).

    client     PretixClient: token header, timeouts, pages, errors as sentences (PretixError)
    catalog    PretixEvent: the event, products, variations, check-in lists, questions
    mapping    plan_event / default_mapping: what each pretix thing stands for, chosen by name
    positions  position_values: one order position -> a registration's values (or why none)
    store      the pretix tables (connection, mapping, position links) and the page upsert
    service    PretixService.connect / download (resumable, then modified_since)
    redeem     redeem(): pretix's decision on a scan, its reasons as the desk's verdict kinds
"""
