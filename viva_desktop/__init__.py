"""Viva Desktop: the desktop companion for Comunidad Viva deployments."""

__version__ = "0.1.0"
