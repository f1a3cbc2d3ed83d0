"""Persistence: the workshop's tables, their migrations and the queries the live loop needs.

`db.Store` owns the engine and sessions; `models` declares the tables; `votes`, `ideas` and
`decisions` hold the small, hot-path helpers the services call.
"""
