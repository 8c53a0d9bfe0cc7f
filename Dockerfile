# Insoles CRM: multi-stage build, small non-root runtime image, data on a volume.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock rustfmt.toml build.rs ./
COPY src src
COPY migrations migrations
COPY locales locales
COPY config config
COPY prompts prompts
COPY link link
RUN cargo build --release --locked --bin insoles-crm

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin crm \
 && mkdir -p /data /app \
 && chown crm:crm /data
WORKDIR /app
COPY --from=build /src/target/release/insoles-crm /usr/local/bin/insoles-crm
COPY config /app/config
ENV DATABASE_URL=sqlite:///data/insoles.db \
    HTTP_ADDR=0.0.0.0:8080 \
    RUST_LOG=info
VOLUME ["/data"]
EXPOSE 8080
USER crm
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["insoles-crm", "healthcheck"]
ENTRYPOINT ["insoles-crm"]
CMD ["serve"]
