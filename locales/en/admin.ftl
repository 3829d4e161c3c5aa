# The coordinator's pages (/admin).

admin-title = The network
