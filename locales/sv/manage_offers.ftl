# The managers' offer pages (/manage/offers).

manage-offers-title = Era erbjudanden
