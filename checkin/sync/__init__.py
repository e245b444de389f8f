"""Desks that keep working without the network: a hub (PostgreSQL), replicas (SQLite), an outbox.

``join`` makes a desk's replica, ``SyncWorker`` uploads its outbox and downloads the hub's
changes; the modules below say how each part keeps "every fact exactly once".
"""
