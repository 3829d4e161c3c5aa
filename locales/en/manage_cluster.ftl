# The managers' cluster pages (/manage/cluster) and reports (/manage/reports).

manage-cluster-title = Your cluster
manage-reports-title = Reports
