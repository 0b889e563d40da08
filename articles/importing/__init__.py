"""An import, one step a module, each importing only the steps before it:
readers.py (files, folders, zip, jsonl → raw items, and the cleaner run on one) → store.py (one
item checked and stored; results.py: what became of it) → chunks.py (many items a transaction)
→ batch.py (a whole run: workers, counts, the index updates queued in search.indexing) →
jobs.py (an upload's preview and import in the background)."""
