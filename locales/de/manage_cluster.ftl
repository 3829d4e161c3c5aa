# The managers' cluster pages (/manage/cluster) and reports (/manage/reports).

manage-cluster-title = Ihr Cluster
manage-reports-title = Berichte
