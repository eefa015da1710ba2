"""Watching deployments: health probes, their classification and their history."""
