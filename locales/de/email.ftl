# softlanding's emails (de). Keys match across languages.
email-placeholder = softlanding
