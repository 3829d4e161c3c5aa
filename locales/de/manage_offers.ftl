# The managers' offer pages (/manage/offers).

manage-offers-title = Ihre Angebote
