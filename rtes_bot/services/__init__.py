"""Domain operations. Services take plain ids and a session, never Discord objects, never commit."""
