# The coordinator's pages (/admin).

admin-title = Das Netzwerk
