//! The portal's pages under load: how fast a running softlanding renders each page an SME
//! sees with 8 concurrent clients, how much each page weighs with its assets, and whether any
//! page refers to another origin.
//!
//! `benches/portal.sh` runs it against the demo network (`softlanding seed-demo`) on a fresh
//! SQLite file and a fresh PostgreSQL database; alone it needs a release `softlanding serve`
//! whose database holds the demo network (or any network where `--email` is a member of a
//! verified SME with a partner cluster that publishes offers):
//!
//! ```sh
//! cargo bench --bench portal -- --base-url http://127.0.0.1:18182
//! ```
//!
//! What it does, in order:
//!
//! 1. Signs the SME member in through the portal's form (`GET /sign-in` for the form token,
//!    `POST /sign-in` with it and an `Origin` header) and keeps the session cookie.
//! 2. Finds its ids through the portal: the offers listed by `/offers`; a landing requested
//!    through the form `/landings/new` at the first of them the SME may land at (an offer of
//!    a partner cluster; the others are refused at the form); that offer's host cluster.
//! 3. For each page: fetches it once, untimed, and checks it: 200 and HTML; every `src` and
//!    `href` of `<script>`, `<link>` and `<img>`, every form `action` and `formaction` and
//!    every htmx request attribute (`hx-get`, ...) resolves to this origin, and so does every
//!    `url(...)` of a style sheet; the page's weight is its HTML plus each distinct asset it
//!    loads (scripts, style sheets, icons, images, what the style sheets load), uncompressed.
//! 4. Warms the page up (`--warmup` requests, untimed), then sends it `--requests` times from
//!    `--clients` concurrent clients, each answer read whole and checked (200, HTML), and
//!    times each request.
//!
//! Public pages are requested as an anonymous visitor whose browser keeps the portal's
//! cookies (the form token's), the SME's pages with the session cookie.
//!
//! Per page it prints requests per second, p50, p99 and max latency, the weight, and with
//! `--server-pid` the server process's CPU time per request (user and system, from `/proc`;
//! the database's own processes are not counted). Latency on a machine the benchmark shares
//! with the server moves with whatever else runs there; the CPU time much less.
//!
//! It fails (non-zero exit) on any answer other than 200 HTML, a page over 150 KB with its
//! assets, or a reference to another origin. The latency target (p99 at most 10 ms) is
//! reported as PASS or FAIL per page but does not fail the run: latency depends on the
//! machine and what else runs on it.
//!
//! The lines starting `md|` are the results as a Markdown table, for the script.

use std::collections::{BTreeSet, HashMap};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{Datelike, Days, Utc, Weekday};
use reqwest::header::{CONTENT_TYPE, LOCATION, ORIGIN};
use reqwest::{Client, StatusCode};
use scraper::{Html, Selector};
use url::Url;

/// A page's p99 at most this, in milliseconds (reported, not enforced).
const P99_TARGET_MS: f64 = 10.0;
/// A page with its assets at most this many bytes, uncompressed (150 KB, 1 KB = 1,000 bytes).
const WEIGHT_LIMIT: usize = 150_000;
const PURPOSE: &str = "Meet integrators and distributors in the host region and test the market.";

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Clone)]
struct Options {
    base_url: String,
    label: String,
    requests: usize,
    warmup: usize,
    clients: usize,
    email: String,
    password: String,
    country: String,
    /// Only these pages, by their names in the table (all when empty).
    only: Vec<String>,
    /// The server's process on this machine, to report its CPU time per request.
    server_pid: Option<u32>,
}

const USAGE: &str = "\
usage: portal --base-url URL [--label NAME] [--requests N] [--warmup N] [--clients N]
              [--email ADDRESS] [--password PASSWORD] [--country CC] [--only PAGE]...
              [--server-pid PID]
--only measures the pages named as in the table (`/offers/{id}`), e.g. to profile one.
--server-pid reports the server's CPU time per request (read from /proc, so the server must
run on this machine).
A release `softlanding serve` must run at --base-url on a database with the demo network
(`softlanding seed-demo`). benches/portal.sh does all of that for SQLite and PostgreSQL.";

impl Options {
    /// Flags first, then `PORTAL_BASE_URL`; `None` when no server is named (a plain
    /// `cargo bench`), which is not an error.
    fn parse() -> Result<Option<Options>, String> {
        let mut o = Options {
            base_url: std::env::var("PORTAL_BASE_URL").unwrap_or_default(),
            label: String::new(),
            requests: 2_000,
            warmup: 200,
            clients: 8,
            email: "founder@acme-robotics.demo".to_owned(),
            password: "softlanding-demo".to_owned(),
            country: "SE".to_owned(),
            only: Vec::new(),
            server_pid: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(flag) = args.next() {
            if flag == "--bench" {
                // What `cargo bench` passes to every benchmark.
                continue;
            }
            if flag == "--help" || flag == "-h" {
                return Err(USAGE.to_owned());
            }
            let value = args
                .next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
            let number = |v: &str| {
                v.parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("{flag} takes a positive number, not `{v}`"))
            };
            match flag.as_str() {
                "--base-url" => o.base_url = value,
                "--label" => o.label = value,
                "--requests" => o.requests = number(&value)?,
                "--warmup" => o.warmup = number(&value)?,
                "--clients" => o.clients = number(&value)?,
                "--email" => o.email = value,
                "--password" => o.password = value,
                "--country" => o.country = value.to_uppercase(),
                "--only" => o.only.push(value),
                "--server-pid" => o.server_pid = Some(number(&value)? as u32),
                _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
            }
        }
        if o.base_url.is_empty() {
            return Ok(None);
        }
        o.base_url = o.base_url.trim_end_matches('/').to_owned();
        if o.label.is_empty() {
            o.label = o.base_url.clone();
        }
        Ok(Some(o))
    }
}

fn main() -> ExitCode {
    let options = match Options::parse() {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("portal: no server named; run benches/portal.sh, or see --help\n{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("portal: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("portal: cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("portal: FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Who asks for a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Member,
}

impl Who {
    fn as_str(self) -> &'static str {
        match self {
            Who::Anonymous => "anonymous",
            Who::Member => "SME member",
        }
    }
}

/// A page to measure: its name in the table, its address, who asks, and whether htmx asks.
struct Page {
    name: String,
    path: String,
    who: Who,
    htmx: bool,
}

impl Page {
    fn new(name: &str, path: String, who: Who) -> Page {
        Page {
            name: name.to_owned(),
            path,
            who,
            htmx: false,
        }
    }

    fn htmx(mut self) -> Page {
        self.htmx = true;
        self
    }
}

/// The ids the pages need, found through the portal.
struct Ids {
    offer: String,
    cluster: String,
    landing: String,
}

/// One page's figures.
struct Measured {
    html_bytes: usize,
    asset_bytes: usize,
    assets: usize,
    references: usize,
    foreign: Vec<String>,
    outcome: Outcome,
    /// The server's CPU time per request (user and system), in milliseconds.
    cpu_ms: Option<f64>,
}

impl Measured {
    fn weight(&self) -> usize {
        self.html_bytes + self.asset_bytes
    }

    fn p99_ok(&self) -> bool {
        self.outcome.percentile(99.0) <= P99_TARGET_MS
    }

    fn weight_ok(&self) -> bool {
        self.weight() <= WEIGHT_LIMIT
    }
}

async fn run(o: Options) -> Result<(), Failure> {
    let base = Url::parse(&o.base_url).map_err(|e| format!("--base-url: {e}"))?;
    let anonymous = client(&o)?;
    let member = client(&o)?;
    wait_until_ready(&anonymous, &o.base_url).await?;
    let started = Instant::now();

    sign_in(&member, &o).await?;
    let ids = discover(&member, &o).await?;
    println!("backend            {} (server {})", o.label, o.base_url);
    println!(
        "signed in          {} through /sign-in; offer {}, its host cluster {}, landing {} \
         requested through /landings/new ({:.1} s, untimed)",
        o.email,
        ids.offer,
        ids.cluster,
        ids.landing,
        started.elapsed().as_secs_f64()
    );
    // The anonymous visitor's first page gives it the form token's cookie, as in a browser.
    get_html(&anonymous, &o.base_url, "/", false).await?;

    let pages = [
        Page::new("/", "/".into(), Who::Anonymous),
        Page::new("/offers", "/offers".into(), Who::Anonymous),
        Page::new(
            &format!("/offers?country={}", o.country),
            format!("/offers?country={}", o.country),
            Who::Anonymous,
        ),
        Page::new(
            "/offers/{id}",
            format!("/offers/{}", ids.offer),
            Who::Anonymous,
        ),
        Page::new(
            "/offers/{id} (htmx: calendar)",
            format!("/offers/{}", ids.offer),
            Who::Anonymous,
        )
        .htmx(),
        Page::new("/clusters", "/clusters".into(), Who::Anonymous),
        Page::new(
            "/clusters/{id}",
            format!("/clusters/{}", ids.cluster),
            Who::Anonymous,
        ),
        Page::new("/sign-in", "/sign-in".into(), Who::Anonymous),
        Page::new("/sign-up", "/sign-up".into(), Who::Anonymous),
        Page::new("/landings", "/landings".into(), Who::Member),
        Page::new(
            "/landings/new?offer_id=",
            format!("/landings/new?offer_id={}", ids.offer),
            Who::Member,
        ),
        Page::new(
            "/landings/{id}",
            format!("/landings/{}", ids.landing),
            Who::Member,
        ),
        Page::new("/sme", "/sme".into(), Who::Member),
        Page::new("/account", "/account".into(), Who::Member),
    ];
    let pages: Vec<Page> = pages
        .into_iter()
        .filter(|p| o.only.is_empty() || o.only.contains(&p.name))
        .collect();
    if pages.is_empty() {
        return Err(format!("--only names no page: {:?}", o.only).into());
    }

    println!(
        "load               {} requests a page from {} concurrent clients, after {} untimed",
        o.requests, o.clients, o.warmup
    );
    print_header();
    let mut assets = AssetCache::default();
    let mut results = Vec::with_capacity(pages.len());
    for page in &pages {
        let client = match page.who {
            Who::Anonymous => &anonymous,
            Who::Member => &member,
        };
        let probe = get_html(client, &o.base_url, &page.path, page.htmx).await?;
        let page_url = base.join(&page.path)?;
        let found = references(&probe);
        let mut foreign: Vec<String> = found
            .all
            .iter()
            .filter(|r| !same_origin(&base, &page_url, &r.value))
            .map(|r| format!("{} {}", r.what, r.value))
            .collect();
        let mut loaded = BTreeSet::new();
        for r in &found.loads {
            if same_origin(&base, &page_url, r) {
                loaded.insert(page_url.join(r)?);
            }
        }
        let mut asset_bytes = 0;
        let mut seen = BTreeSet::new();
        let mut queue: Vec<Url> = loaded.into_iter().collect();
        while let Some(url) = queue.pop() {
            if !seen.insert(url.clone()) {
                continue;
            }
            let asset = assets.get(&anonymous, &url).await?;
            asset_bytes += asset.bytes;
            for r in &asset.references {
                if same_origin(&base, &url, r) {
                    queue.push(url.join(r)?);
                } else {
                    foreign.push(format!("url() in {} {r}", url.path()));
                }
            }
        }
        warm_up(client, &o, page).await?;
        let cpu_before = o.server_pid.and_then(cpu_time);
        let outcome = fire(client, &o, page).await?;
        let cpu_ms = cpu_before
            .zip(o.server_pid.and_then(cpu_time))
            .map(|(before, after)| {
                (after.saturating_sub(before)).as_secs_f64() * 1000.0 / o.requests as f64
            });
        let measured = Measured {
            html_bytes: probe.len(),
            asset_bytes,
            assets: seen.len(),
            references: found.all.len(),
            foreign,
            outcome,
            cpu_ms,
        };
        print_row(page, &measured);
        results.push(measured);
    }

    print_markdown(&pages, &results);

    let mut problems = Vec::new();
    for (page, m) in pages.iter().zip(&results) {
        if m.outcome.failed > 0 {
            problems.push(format!(
                "{}: {} of {} answers were not 200 HTML; first: {}",
                page.name,
                m.outcome.failed,
                m.outcome.latencies.len(),
                m.outcome.first_failure.as_deref().unwrap_or("?")
            ));
        }
        if !m.weight_ok() {
            problems.push(format!(
                "{}: weighs {} bytes with its assets, over {WEIGHT_LIMIT}",
                page.name,
                m.weight()
            ));
        }
        for f in &m.foreign {
            problems.push(format!("{}: refers to another origin: {f}", page.name));
        }
    }
    let slow = results.iter().filter(|m| !m.p99_ok()).count();
    println!(
        "latency target     {} of {} pages at most {P99_TARGET_MS} ms at p99 (reported, not enforced)",
        results.len() - slow,
        results.len()
    );
    if problems.is_empty() {
        println!(
            "checks             every answer 200 HTML, every page within {WEIGHT_LIMIT} bytes, no other origin"
        );
        Ok(())
    } else {
        println!("checks FAILED:");
        for p in &problems {
            println!("  - {p}");
        }
        Err(format!("{} problems found", problems.len()).into())
    }
}

/// A browser-like client: keeps its cookies, follows no redirect (the benchmark checks them).
fn client(o: &Options) -> Result<Client, Failure> {
    Ok(Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(o.clients)
        .timeout(Duration::from_secs(60))
        .build()?)
}

async fn wait_until_ready(client: &Client, base: &str) -> Result<(), Failure> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match client.get(format!("{base}/readyz")).send().await {
            Ok(r) if r.status().is_success() => return Ok(()),
            Ok(_) | Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(200)).await
            }
            Ok(r) => return Err(format!("{base}/readyz answers {}", r.status()).into()),
            Err(e) => return Err(format!("{base} does not answer: {e}").into()),
        }
    }
}

fn is_html(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// The page at `path`, which must answer 200 with HTML.
async fn get_html(client: &Client, base: &str, path: &str, htmx: bool) -> Result<String, Failure> {
    let mut request = client.get(format!("{base}{path}"));
    if htmx {
        request = request.header("HX-Request", "true");
    }
    let response = request.send().await?;
    let status = response.status();
    let html = is_html(&response);
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.text().await?;
    if status != StatusCode::OK || !html {
        let to = location.map(|l| format!(" to {l}")).unwrap_or_default();
        return Err(format!(
            "GET {path} answered {status}{to}{}",
            if html { "" } else { " (not HTML)" }
        )
        .into());
    }
    Ok(body)
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid selector")
}

/// The form token of the first form on the page.
fn form_token(html: &str) -> Result<String, Failure> {
    Html::parse_document(html)
        .select(&selector("input[name=csrf_token]"))
        .find_map(|e| e.value().attr("value").map(str::to_owned))
        .filter(|t| !t.is_empty())
        .ok_or_else(|| "the page has no form token".into())
}

/// Posts a form the way a browser does (same `Origin`); the answer's status and `Location`.
async fn post_form(
    client: &Client,
    o: &Options,
    path: &str,
    fields: &[(&str, &str)],
) -> Result<(StatusCode, Option<String>), Failure> {
    let response = client
        .post(format!("{}{path}", o.base_url))
        .header(ORIGIN, &o.base_url)
        .form(fields)
        .send()
        .await?;
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Ok((status, location))
}

/// Signs in through the portal's form; the client keeps the session cookie.
async fn sign_in(member: &Client, o: &Options) -> Result<(), Failure> {
    let form = get_html(member, &o.base_url, "/sign-in", false).await?;
    let token = form_token(&form)?;
    let (status, location) = post_form(
        member,
        o,
        "/sign-in",
        &[
            ("csrf_token", token.as_str()),
            ("next", "/landings"),
            ("email", o.email.as_str()),
            ("password", o.password.as_str()),
        ],
    )
    .await?;
    if status != StatusCode::SEE_OTHER {
        return Err(format!("signing in as {} answered {status}", o.email).into());
    }
    // Signed in: the SME's own page answers instead of sending to /sign-in.
    get_html(member, &o.base_url, "/sme", false)
        .await
        .map_err(|e| format!("after signing in (sent to {location:?}): {e}"))?;
    Ok(())
}

/// The first Monday at least three weeks from now: a range of working days well inside the
/// demo offers' windows, in any host's time zone.
fn landing_days() -> (String, String) {
    let mut start = Utc::now().date_naive() + Days::new(21);
    while start.weekday() != Weekday::Mon {
        start = start + Days::new(1);
    }
    let end = start + Days::new(2);
    (start.to_string(), end.to_string())
}

/// Finds the offer, its host cluster and a landing of the SME, through the portal.
async fn discover(member: &Client, o: &Options) -> Result<Ids, Failure> {
    let list = get_html(member, &o.base_url, "/offers", false).await?;
    let offers: Vec<String> = {
        let doc = Html::parse_document(&list);
        let mut ids = Vec::new();
        for a in doc.select(&selector("a[href^='/offers/']")) {
            if let Some(id) = a
                .value()
                .attr("href")
                .and_then(|h| h.strip_prefix("/offers/"))
                && !id.is_empty()
                && !id.contains(['/', '?'])
                && !ids.iter().any(|i| i == id)
            {
                ids.push(id.to_owned());
            }
        }
        ids
    };
    if offers.is_empty() {
        return Err("/offers lists no offer; is the demo network seeded?".into());
    }
    let (start, end) = landing_days();
    // The first offer the SME may land at: the form refuses the others (its own cluster's,
    // those of clusters without an agreement) at the offer, and writes nothing for them.
    for offer in &offers {
        let path = format!("/landings/new?offer_id={offer}");
        let Ok(form) = get_html(member, &o.base_url, &path, false).await else {
            continue;
        };
        let token = form_token(&form)?;
        let (status, location) = post_form(
            member,
            o,
            "/landings/new",
            &[
                ("csrf_token", token.as_str()),
                ("offer_id", offer.as_str()),
                ("start_date", start.as_str()),
                ("end_date", end.as_str()),
                ("headcount", "1"),
                ("purpose", PURPOSE),
                ("target_market", ""),
            ],
        )
        .await?;
        let landing = location
            .as_deref()
            .and_then(|l| l.strip_prefix("/landings/"))
            .filter(|id| !id.is_empty() && !id.contains(['/', '?']));
        match (status, landing) {
            (StatusCode::SEE_OTHER, Some(landing)) => {
                let page =
                    get_html(member, &o.base_url, &format!("/offers/{offer}"), false).await?;
                let cluster = Html::parse_document(&page)
                    .select(&selector("a[href^='/clusters/']"))
                    .find_map(|a| {
                        a.value()
                            .attr("href")
                            .and_then(|h| h.strip_prefix("/clusters/"))
                            .map(str::to_owned)
                    })
                    .ok_or_else(|| format!("/offers/{offer} names no host cluster"))?;
                return Ok(Ids {
                    offer: offer.clone(),
                    cluster,
                    landing: landing.to_owned(),
                });
            }
            (StatusCode::UNPROCESSABLE_ENTITY, _) => continue,
            _ => {
                return Err(format!("requesting a landing at {offer} answered {status}").into());
            }
        }
    }
    Err(format!(
        "{} may land at none of the {} offers /offers lists",
        o.email,
        offers.len()
    )
    .into())
}

/// A reference of a page: where it is (`script src`) and its value.
struct Reference {
    what: &'static str,
    value: String,
}

struct References {
    /// Every address the page names that a browser may request: what it loads, where its
    /// forms post, what htmx asks for.
    all: Vec<Reference>,
    /// What a browser loads with the page: scripts, style sheets, icons, images.
    loads: Vec<String>,
}

/// `<link rel>` values whose `href` the browser loads with the page.
const LOADED_LINKS: [&str; 7] = [
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "mask-icon",
    "manifest",
    "preload",
    "modulepreload",
];

fn references(html: &str) -> References {
    let doc = Html::parse_document(html);
    let mut all = Vec::new();
    let mut loads = Vec::new();
    let attributes: [(&str, &str, &'static str, bool); 13] = [
        ("script[src]", "src", "script src", true),
        ("link[href]", "href", "link href", false),
        ("img[src]", "src", "img src", true),
        ("source[src]", "src", "source src", true),
        ("iframe[src]", "src", "iframe src", true),
        ("form[action]", "action", "form action", false),
        ("[formaction]", "formaction", "formaction", false),
        ("[hx-get]", "hx-get", "hx-get", false),
        ("[hx-post]", "hx-post", "hx-post", false),
        ("[hx-put]", "hx-put", "hx-put", false),
        ("[hx-patch]", "hx-patch", "hx-patch", false),
        ("[hx-delete]", "hx-delete", "hx-delete", false),
        ("img[srcset]", "srcset", "img srcset", false),
    ];
    for (css, attribute, what, loaded) in attributes {
        for element in doc.select(&selector(css)) {
            let Some(value) = element.value().attr(attribute) else {
                continue;
            };
            if attribute == "srcset" {
                for candidate in value.split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        all.push(Reference {
                            what,
                            value: url.to_owned(),
                        });
                        loads.push(url.to_owned());
                    }
                }
                continue;
            }
            let rel = element.value().attr("rel").unwrap_or("").to_lowercase();
            let is_loaded = loaded
                || (css == "link[href]"
                    && rel.split_whitespace().any(|r| LOADED_LINKS.contains(&r)));
            all.push(Reference {
                what,
                value: value.trim().to_owned(),
            });
            if is_loaded {
                loads.push(value.trim().to_owned());
            }
        }
    }
    References { all, loads }
}

/// Whether `value`, as found on the page at `page`, addresses the origin of `base`. An
/// empty `action` posts to the page itself.
fn same_origin(base: &Url, page: &Url, value: &str) -> bool {
    if value.is_empty() {
        return true;
    }
    match page.join(value) {
        Ok(url) => url.origin() == base.origin(),
        Err(_) => false,
    }
}

/// An asset's size, and the addresses its text refers to (a style sheet's `url()` and
/// `@import`).
#[derive(Clone)]
struct Asset {
    bytes: usize,
    references: Vec<String>,
}

#[derive(Default)]
struct AssetCache {
    fetched: HashMap<Url, Asset>,
}

impl AssetCache {
    async fn get(&mut self, client: &Client, url: &Url) -> Result<Asset, Failure> {
        if let Some(asset) = self.fetched.get(url) {
            return Ok(asset.clone());
        }
        let response = client.get(url.clone()).send().await?;
        let status = response.status();
        let css = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/css"));
        let body = response.bytes().await?;
        if status != StatusCode::OK {
            return Err(format!("the asset {url} answered {status}").into());
        }
        let asset = Asset {
            bytes: body.len(),
            references: if css {
                css_references(&String::from_utf8_lossy(&body))
            } else {
                Vec::new()
            },
        };
        self.fetched.insert(url.clone(), asset.clone());
        Ok(asset)
    }
}

/// The addresses of a style sheet's `url(...)` and `@import "..."`; `data:` URLs load nothing.
fn css_references(css: &str) -> Vec<String> {
    let mut found = Vec::new();
    let unquote = |s: &str| s.trim().trim_matches(['"', '\'']).trim().to_owned();
    let mut rest = css;
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        if let Some(end) = rest.find(')') {
            found.push(unquote(&rest[..end]));
            rest = &rest[end..];
        }
    }
    let mut rest = css;
    while let Some(at) = rest.find("@import") {
        rest = &rest[at + 7..];
        let target = rest.trim_start();
        if let Some(quote @ ('"' | '\'')) = target.chars().next()
            && let Some(end) = target[1..].find(quote)
        {
            found.push(target[1..1 + end].to_owned());
        }
    }
    found.retain(|u| !u.is_empty() && !u.starts_with("data:"));
    found
}

#[derive(Default)]
struct Outcome {
    failed: usize,
    first_failure: Option<String>,
    /// Per-request latency in microseconds, sorted.
    latencies: Vec<u64>,
    wall: Duration,
}

impl Outcome {
    fn requests_per_sec(&self) -> f64 {
        self.latencies.len() as f64 / self.wall.as_secs_f64()
    }

    /// Nearest-rank percentile, in milliseconds.
    fn percentile(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        let index = rank.clamp(1, self.latencies.len()) - 1;
        self.latencies[index] as f64 / 1000.0
    }
}

/// Untimed requests before the page's run, so every pooled connection on both sides has
/// served it once.
async fn warm_up(client: &Client, o: &Options, page: &Page) -> Result<(), Failure> {
    let outcome = send(client, o, page, o.warmup).await?;
    if outcome.failed > 0 {
        return Err(format!(
            "{} during the warm-up: {}",
            page.name,
            outcome.first_failure.unwrap_or_default()
        )
        .into());
    }
    Ok(())
}

async fn fire(client: &Client, o: &Options, page: &Page) -> Result<Outcome, Failure> {
    send(client, o, page, o.requests).await
}

#[derive(Default)]
struct ClientTally {
    failed: usize,
    first_failure: Option<String>,
    latencies: Vec<u64>,
}

/// Sends `count` requests for `page`, `o.clients` at a time, each answer read whole.
async fn send(client: &Client, o: &Options, page: &Page, count: usize) -> Result<Outcome, Failure> {
    let next = Arc::new(AtomicUsize::new(0));
    let url = Arc::new(format!("{}{}", o.base_url, page.path));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(o.clients);
    for _ in 0..o.clients {
        let (client, url, next) = (client.clone(), url.clone(), next.clone());
        let htmx = page.htmx;
        tasks.push(tokio::spawn(async move {
            let mut tally = ClientTally::default();
            while next.fetch_add(1, Ordering::Relaxed) < count {
                let sent = Instant::now();
                let mut request = client.get(url.as_str());
                if htmx {
                    request = request.header("HX-Request", "true");
                }
                let answer = match request.send().await {
                    Ok(r) => {
                        let status = r.status();
                        let html = is_html(&r);
                        match r.bytes().await {
                            Ok(body) if status == StatusCode::OK && html && !body.is_empty() => {
                                Ok(())
                            }
                            Ok(body) => Err(format!(
                                "{status}{}, {} bytes",
                                if html { "" } else { " not HTML" },
                                body.len()
                            )),
                            Err(e) => Err(format!("{status}, body: {e}")),
                        }
                    }
                    Err(e) => Err(e.to_string()),
                };
                tally.latencies.push(sent.elapsed().as_micros() as u64);
                if let Err(e) = answer {
                    tally.failed += 1;
                    if tally.first_failure.is_none() {
                        tally.first_failure = Some(e);
                    }
                }
            }
            tally
        }));
    }
    let mut outcome = Outcome::default();
    for task in tasks {
        let tally = task.await?;
        outcome.failed += tally.failed;
        if outcome.first_failure.is_none() {
            outcome.first_failure = tally.first_failure;
        }
        outcome.latencies.extend(tally.latencies);
    }
    outcome.wall = started.elapsed();
    outcome.latencies.sort_unstable();
    Ok(outcome)
}

/// The CPU time (user and system) the process `pid` has used so far, from `/proc`.
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces:
    // state is the 3rd field of the line, utime the 14th and stime the 15th.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf only reads a configuration value.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let per_second = u64::try_from(per_second).ok().filter(|n| *n > 0)?;
    Some(Duration::from_secs_f64(ticks as f64 / per_second as f64))
}

fn cpu(m: &Measured) -> String {
    m.cpu_ms
        .map(|ms| format!("{ms:.2}"))
        .unwrap_or_else(|| "-".to_owned())
}

fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

fn kb(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / 1000.0)
}

/// The human table's header; [`print_row`] writes its rows.
fn print_header() {
    println!(
        "{:<30} {:<10} {:>7} {:>7} {:>7} {:>7} {:>6} {:>4} {:>7} {:>6} {:>8} {:>4}  references",
        "page",
        "as",
        "req/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "CPU ms",
        "p99",
        "HTML KB",
        "assets",
        "total KB",
        "size",
    );
}

fn print_row(page: &Page, m: &Measured) {
    let o = &m.outcome;
    println!(
        "{:<30} {:<10} {:>7.0} {:>7.2} {:>7.2} {:>7.2} {:>6} {:>4} {:>7} {:>6} {:>8} {:>4}  {}{}",
        page.name,
        page.who.as_str(),
        o.requests_per_sec(),
        o.percentile(50.0),
        o.percentile(99.0),
        o.percentile(100.0),
        cpu(m),
        pass(m.p99_ok()),
        kb(m.html_bytes),
        m.assets,
        kb(m.weight()),
        pass(m.weight_ok()),
        if m.foreign.is_empty() {
            format!("{}, same origin", m.references)
        } else {
            format!("{}, {} to another origin", m.references, m.foreign.len())
        },
        if o.failed > 0 {
            format!("  {} FAILED answers", o.failed)
        } else {
            String::new()
        }
    );
}

fn print_markdown(pages: &[Page], results: &[Measured]) {
    println!();
    println!(
        "md|| page | as | requests/s | p50 ms | p99 ms | max ms | server CPU ms | p99 ≤ {P99_TARGET_MS} ms | HTML KB | with assets KB | ≤ {} KB | same origin |",
        WEIGHT_LIMIT / 1000
    );
    println!("md||---|---|---:|---:|---:|---:|---:|:-:|---:|---:|:-:|:-:|");
    for (page, m) in pages.iter().zip(results) {
        let out = &m.outcome;
        println!(
            "md|| `{}` | {} | {:.0} | {:.2} | {:.2} | {:.2} | {} | {} | {} | {} | {} | {} |",
            page.name,
            page.who.as_str(),
            out.requests_per_sec(),
            out.percentile(50.0),
            out.percentile(99.0),
            out.percentile(100.0),
            cpu(m),
            pass(m.p99_ok()),
            kb(m.html_bytes),
            kb(m.weight()),
            pass(m.weight_ok()),
            if m.foreign.is_empty() {
                format!("yes ({})", m.references)
            } else {
                format!("NO ({} of {})", m.foreign.len(), m.references)
            },
        );
    }
}
