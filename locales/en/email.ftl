# softlanding's emails (en). Keys match across languages.
email-placeholder = softlanding
