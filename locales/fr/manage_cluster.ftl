# The managers' cluster pages (/manage/cluster) and reports (/manage/reports).

manage-cluster-title = Votre cluster
manage-reports-title = Rapports
