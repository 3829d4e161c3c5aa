# softlanding's emails (sv). Keys match across languages.
email-placeholder = softlanding
