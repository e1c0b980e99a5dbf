"""No models of its own: the module makes `migrate` signal this app (apps.py creates the cache table then)."""
