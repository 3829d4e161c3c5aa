# The managers' cluster pages (/manage/cluster) and reports (/manage/reports).

manage-cluster-title = Ert kluster
manage-reports-title = Rapporter
