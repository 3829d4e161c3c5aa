# The coordinator's pages (/admin).

admin-title = Le réseau
