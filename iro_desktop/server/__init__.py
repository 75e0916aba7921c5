"""The sync service (`iro-sync-server`): FastAPI over SQLAlchemy; see docs/sync-server.md."""
