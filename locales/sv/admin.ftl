# The coordinator's pages (/admin).

admin-title = Nätverket
