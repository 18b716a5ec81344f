"""Small helpers every layer uses: Indonesian dates, the WIB time zone, canonical URLs and their
hashes, control characters out of text, the meta keys of requests."""
