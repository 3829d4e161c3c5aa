# softlanding container image: build the release binary, then run it on a slim Debian.

# ---- builder ----
FROM rust:1-bookworm AS builder

# OpenSSL headers for the bundled libpq (pq-sys `bundled`); gcc and make come with the image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Build the dependencies once against a dummy crate so this layer is cached. The workspace's
# manifests name the benchmark targets and the generator crate (benches/), so they get empty
# stand-ins; only the service is built.
COPY Cargo.toml Cargo.lock ./
# The build settings (the bundled SQLite's flags) belong to every build.
COPY .cargo ./.cargo
COPY benches/data/Cargo.toml ./benches/data/
RUN mkdir -p src benches/data/src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && echo 'fn main() {}' > benches/approvals.rs \
    && echo 'fn main() {}' > benches/data/src/main.rs \
    && touch benches/data/src/lib.rs \
    && cargo build --release --locked -p softlanding \
    && rm -rf src \
        target/release/deps/softlanding* \
        target/release/deps/libsoftlanding* \
        target/release/softlanding* \
        target/release/libsoftlanding* \
        target/release/.fingerprint/softlanding-*

# migrations/ must be present: embed_migrations! reads it at compile time.
COPY src ./src
COPY migrations ./migrations
COPY config ./config
RUN cargo build --release --locked -p softlanding --bin softlanding

# ---- runtime ----
FROM debian:bookworm-slim

# libssl3: the bundled libpq links OpenSSL dynamically.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --uid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin softlanding

WORKDIR /app

COPY --from=builder /app/target/release/softlanding /usr/local/bin/softlanding
# Settings are read from config/ in the working directory.
COPY config /app/config
RUN mkdir -p /app/data && chown softlanding:softlanding /app/data

USER softlanding
ENV SOFTLANDING__SERVER__HOST=0.0.0.0
EXPOSE 8080

# No HEALTHCHECK: the image has no HTTP client.
ENTRYPOINT ["softlanding"]
CMD ["serve"]
