"""Engines beyond pandas. ``escalation.engine.dask`` runs the same per-file and per-dyad pandas code on Dask."""
