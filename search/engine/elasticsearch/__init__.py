"""The Elasticsearch engine (SEARCH_URL): Haystack's Elasticsearch 7 backend with our analysis
(backend.py), searches in one request (query.py), the Engine protocol (engine.py)."""
