# softlanding's emails (fr). Keys match across languages.
email-placeholder = softlanding
