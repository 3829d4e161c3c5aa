//! The portable schema: TEXT ids, UTC `Timestamp`, `Date`, `Integer`/`BigInt`, `Bool`, the same
//! on SQLite and PostgreSQL. Kept by hand in step with `migrations/`.

diesel::table! {
    outbox (id) {
        id -> Text,
        channel -> Text,
        event -> Text,
        recipient -> Text,
        payload -> Text,
        message_id -> Text,
        dedupe_key -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        leased_until -> Nullable<Timestamp>,
        leased_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}
