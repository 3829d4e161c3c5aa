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

diesel::table! {
    clusters (id) {
        id -> Text,
        name -> Text,
        country -> Text,
        city -> Text,
        timezone -> Text,
        contact_email -> Text,
        website -> Nullable<Text>,
        description -> Nullable<Text>,
        sectors -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    smes (id) {
        id -> Text,
        name -> Text,
        country -> Text,
        sector -> Text,
        website -> Nullable<Text>,
        employees -> Nullable<Integer>,
        home_cluster_id -> Text,
        membership -> Text,
        contact_name -> Text,
        contact_email -> Text,
        target_markets -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        password_hash -> Nullable<Text>,
        role -> Text,
        cluster_id -> Nullable<Text>,
        sme_id -> Nullable<Text>,
        disabled -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        cluster_id -> Text,
        name -> Text,
        client_id -> Text,
        secret_hash -> Text,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        token_hash -> Text,
        family_id -> Text,
        user_id -> Text,
        expires_at -> Timestamp,
        rotated_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    one_time_tokens (id) {
        id -> Text,
        token_hash -> Text,
        user_id -> Text,
        purpose -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    partnerships (id) {
        id -> Text,
        proposer_cluster_id -> Text,
        partner_cluster_id -> Text,
        pair_key -> Text,
        state -> Text,
        max_free_days -> Integer,
        services -> Text,
        home_endorsement_required -> Bool,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    partnership_events (id) {
        id -> Text,
        partnership_id -> Text,
        actor_id -> Text,
        actor_kind -> Text,
        action -> Text,
        from_state -> Nullable<Text>,
        to_state -> Text,
        note -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    offers (id) {
        id -> Text,
        cluster_id -> Text,
        kind -> Text,
        title -> Text,
        description -> Text,
        city -> Text,
        address -> Nullable<Text>,
        capacity -> Integer,
        available_from -> Date,
        available_until -> Date,
        max_stay_days -> Integer,
        open_weekdays -> Text,
        languages -> Text,
        sectors -> Text,
        state -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    offer_blackouts (id) {
        id -> Text,
        offer_id -> Text,
        start_date -> Date,
        end_date -> Date,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    offer_day_bookings (offer_id, day) {
        offer_id -> Text,
        day -> Date,
        booked -> Integer,
    }
}

diesel::table! {
    landings (id) {
        id -> Text,
        offer_id -> Text,
        sme_id -> Text,
        host_cluster_id -> Text,
        home_cluster_id -> Text,
        partnership_id -> Text,
        requested_by -> Text,
        start_date -> Date,
        end_date -> Date,
        headcount -> Integer,
        open_days -> Integer,
        purpose -> Text,
        target_market -> Nullable<Text>,
        requested_services -> Text,
        state -> Text,
        endorsement_note -> Nullable<Text>,
        message -> Nullable<Text>,
        reason -> Nullable<Text>,
        outcome -> Nullable<Text>,
        rating -> Nullable<Integer>,
        feedback_comment -> Nullable<Text>,
        feedback_at -> Nullable<Timestamp>,
        decided_at -> Nullable<Timestamp>,
        reminder_sent_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    landing_days (landing_id, day) {
        landing_id -> Text,
        day -> Date,
    }
}

diesel::table! {
    landing_events (id) {
        id -> Text,
        landing_id -> Text,
        actor_id -> Text,
        actor_kind -> Text,
        action -> Text,
        from_state -> Nullable<Text>,
        to_state -> Text,
        note -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (caller, idempotency_key) {
        caller -> Text,
        idempotency_key -> Text,
        fingerprint -> Text,
        status -> Nullable<Integer>,
        response_body -> Nullable<Binary>,
        response_headers -> Nullable<Text>,
        created_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(offers -> clusters (cluster_id));
diesel::joinable!(landings -> offers (offer_id));
diesel::joinable!(landings -> smes (sme_id));
diesel::joinable!(landing_days -> landings (landing_id));
diesel::joinable!(landing_events -> landings (landing_id));
diesel::joinable!(offer_day_bookings -> offers (offer_id));
diesel::joinable!(offer_blackouts -> offers (offer_id));
diesel::joinable!(smes -> clusters (home_cluster_id));
diesel::joinable!(partnership_events -> partnerships (partnership_id));
diesel::joinable!(users -> clusters (cluster_id));
diesel::joinable!(users -> smes (sme_id));
diesel::joinable!(api_clients -> clusters (cluster_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(one_time_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    outbox,
    clusters,
    smes,
    users,
    api_clients,
    refresh_tokens,
    one_time_tokens,
    partnerships,
    partnership_events,
    offers,
    offer_blackouts,
    offer_day_bookings,
    landings,
    landing_days,
    landing_events,
    idempotency_keys,
);
