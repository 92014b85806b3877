"""A signatory's own benchmark, in its workspace (/dashboard/<slug>/benchmark/)."""
