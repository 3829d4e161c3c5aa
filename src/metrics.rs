//! Prometheus metrics: HTTP requests by route pattern and status, their latency, the
//! database pool, the outbox (messages by status, deliveries and failed attempts), and webhook
//! deliveries (attempts by outcome, their latency).
//! Rendered as text at `/metrics`.

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    pub http_requests: IntCounterVec,
    pub http_duration: HistogramVec,
    pub pool_connections: IntGaugeVec,
    pub pool_max: IntGauge,
    pub outbox_messages: IntGaugeVec,
    pub outbox_sent: IntCounterVec,
    pub outbox_failed: IntCounterVec,
    /// Webhook delivery attempts by outcome: `delivered`, `failed` (will retry), `given_up`,
    /// `gone` (410), `dropped` (endpoint disabled or deleted, not attempted).
    pub webhook_deliveries: IntCounterVec,
    /// Time from sending a webhook delivery to its answer (or failure).
    pub webhook_latency: Histogram,
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new_custom(Some("softlanding".into()), None)
            .expect("the metrics prefix is valid");
        let http_requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests answered"),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let http_duration = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time from request to response",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let pool_connections = IntGaugeVec::new(
            Opts::new("db_pool_connections", "Database pool connections by state"),
            &["state"],
        )
        .expect("valid metric");
        let pool_max =
            IntGauge::new("db_pool_max_connections", "Database pool size").expect("valid metric");
        let outbox_messages = IntGaugeVec::new(
            Opts::new("outbox_messages", "Outbox messages by status"),
            &["status"],
        )
        .expect("valid metric");
        let outbox_sent = IntCounterVec::new(
            Opts::new("outbox_sent_total", "Outbox messages delivered"),
            &["kind"],
        )
        .expect("valid metric");
        let outbox_failed = IntCounterVec::new(
            Opts::new(
                "outbox_failed_total",
                "Outbox delivery attempts that failed",
            ),
            &["kind"],
        )
        .expect("valid metric");
        let webhook_deliveries = IntCounterVec::new(
            Opts::new(
                "webhook_deliveries_total",
                "Webhook delivery attempts by outcome",
            ),
            &["outcome"],
        )
        .expect("valid metric");
        let webhook_latency = Histogram::with_opts(
            HistogramOpts::new(
                "webhook_delivery_duration_seconds",
                "Time from sending a webhook delivery to its answer",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0,
            ]),
        )
        .expect("valid metric");
        for collector in [
            Box::new(http_requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(http_duration.clone()),
            Box::new(pool_connections.clone()),
            Box::new(pool_max.clone()),
            Box::new(outbox_messages.clone()),
            Box::new(outbox_sent.clone()),
            Box::new(outbox_failed.clone()),
            Box::new(webhook_deliveries.clone()),
            Box::new(webhook_latency.clone()),
        ] {
            registry
                .register(collector)
                .expect("each metric is registered once");
        }
        Metrics {
            registry,
            http_requests,
            http_duration,
            pool_connections,
            pool_max,
            outbox_messages,
            outbox_sent,
            outbox_failed,
            webhook_deliveries,
            webhook_latency,
        }
    }

    /// Counts one answered request. Labels stay bounded whatever arrives: an invented method
    /// counts as `other`, and the route is a matched pattern or `unmatched` (the caller's job).
    pub fn observe_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        let labels = [method_label(method), route, status.as_str()];
        self.http_requests.with_label_values(&labels).inc();
        self.http_duration
            .with_label_values(&labels)
            .observe(seconds);
    }

    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        let encoder = TextEncoder::new();
        if let Err(e) = encoder.encode(&self.registry.gather(), &mut buf) {
            tracing::error!(error = %e, "could not encode metrics");
        }
        String::from_utf8(buf).unwrap_or_default()
    }
}

/// The methods that get a label of their own; every other token is `other`.
const KNOWN_METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT",
];

fn method_label(method: &str) -> &str {
    KNOWN_METHODS
        .iter()
        .find(|known| **known == method)
        .copied()
        .unwrap_or("other")
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invented_methods_share_one_label() {
        let metrics = Metrics::new();
        for i in 0..50 {
            metrics.observe_request(&format!("INVENTED{i}"), "unmatched", 404, 0.001);
        }
        metrics.observe_request("GET", "/healthz", 200, 0.001);
        let text = metrics.render();
        assert!(text.contains("method=\"other\""));
        assert!(!text.contains("INVENTED"));
        assert!(text.contains("method=\"GET\""));
    }
}
