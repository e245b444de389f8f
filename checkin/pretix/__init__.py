"""The connection to pretix (Qt-free): its REST API client, the mapping of its products, check-in
lists and questions onto the local event, the download of order positions as registrations, and
scans answered by pretix (``checkinrpc/redeem``).

    client     PretixClient: token header, timeouts, pages, errors as sentences (PretixError)
    catalog    PretixEvent: the event, products, variations, check-in lists, questions
    mapping    plan_event / default_mapping: what each pretix thing stands for, chosen by name
    positions  position_values: one order position -> a registration's values (or why none)
    store      the pretix tables (connection, mapping, position links) and the page upsert
    service    PretixService.connect / download (resumable, then modified_since)
    redeem     redeem(), annul(), log_print(): pretix's check-in calls; its reasons as verdict kinds
    pages      pages_in_order: a list's pages fetched a few ahead, handed out in order
    desk       attach_desk (the database becomes a desk whose hub is pretix), PretixOnlineHub
    upload     PretixLink: the sync engine's hub link to pretix (outbox up, orders down)
"""
