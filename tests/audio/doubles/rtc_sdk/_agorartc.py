"""Stands for the compiled ``_agorartc`` extension the loader looks for."""
