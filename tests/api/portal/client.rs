//! A browser's view of the portal: a cookie store of its own, redirects not followed (a test
//! sees the 303 and where it points), `Origin` on every form post, and each answer parsed so a
//! test reads elements by id and `name`, never by visible English text.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use scraper::{ElementRef, Html, Selector};

use crate::fixtures::PASSWORD;
use crate::helpers::TestApp;

/// The session cookie's name over plain HTTP (the tests' public URL).
pub const SESSION_COOKIE: &str = "sl_session";

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("`{css}` is not a CSS selector: {e:?}"))
}

/// An element's text, its white space collapsed.
pub fn text_of(element: ElementRef<'_>) -> String {
    element
        .text()
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One answer of the portal, read whole and parsed.
pub struct Page {
    /// The path and query it answers.
    pub path: String,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub html: Html,
}

impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} ({} bytes)",
            self.status,
            self.path,
            self.body.len()
        )
    }
}

impl Page {
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// Every `Set-Cookie` of the answer that sets `name`.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }

    /// Asserts the status, showing the page's heading and messages when it is another.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Page {
        assert_eq!(
            self.status(),
            status,
            "{} answered {}; h1 {:?}, errors {:?}, body starts {:?}",
            self.path,
            self.status,
            self.texts("h1"),
            self.texts(".field-error, #error-summary li, .flash"),
            self.body.chars().take(600).collect::<String>()
        );
        self
    }

    /// Asserts a 303 and answers where it points.
    #[track_caller]
    pub fn redirect(&self) -> String {
        self.expect(303);
        self.header("location").expect("a 303 names where to go")
    }

    pub fn select(&self, css: &str) -> Vec<ElementRef<'_>> {
        self.html.select(&selector(css)).collect()
    }

    pub fn has(&self, css: &str) -> bool {
        self.html.select(&selector(css)).next().is_some()
    }

    /// The first element `css` selects; panics, naming the page, when there is none.
    #[track_caller]
    pub fn one(&self, css: &str) -> ElementRef<'_> {
        self.html.select(&selector(css)).next().unwrap_or_else(|| {
            panic!(
                "no `{css}` on {} ({}); h1 {:?}, errors {:?}",
                self.path,
                self.status,
                self.texts("h1"),
                self.texts(".field-error, #error-summary li")
            )
        })
    }

    /// The text of the first element `css` selects.
    #[track_caller]
    pub fn text(&self, css: &str) -> String {
        text_of(self.one(css))
    }

    /// The text of every element `css` selects.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css).into_iter().map(text_of).collect()
    }

    /// An attribute of the first element `css` selects.
    pub fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.html
            .select(&selector(css))
            .next()
            .and_then(|e| e.value().attr(name))
            .map(str::to_owned)
    }

    /// An attribute of every element `css` selects.
    pub fn attrs(&self, css: &str, name: &str) -> Vec<String> {
        self.select(css)
            .into_iter()
            .filter_map(|e| e.value().attr(name).map(str::to_owned))
            .collect()
    }

    /// `<html lang>`.
    pub fn lang(&self) -> String {
        self.attr("html", "lang").unwrap_or_default()
    }

    /// The page's one heading.
    #[track_caller]
    pub fn h1(&self) -> String {
        self.text("main#main h1")
    }

    /// `#landing-state[data-state]`.
    #[track_caller]
    pub fn landing_state(&self) -> String {
        self.attr("#landing-state", "data-state")
            .unwrap_or_else(|| panic!("no #landing-state[data-state] on {}", self.path))
    }

    /// The message at a field, `#<field>-error`.
    pub fn field_error(&self, field: &str) -> Option<String> {
        self.select(&format!("#{field}-error"))
            .into_iter()
            .next()
            .map(text_of)
    }

    /// The fields with a message, in the page's order.
    pub fn fields_in_error(&self) -> Vec<String> {
        self.attrs(".field-error[id$='-error']", "id")
            .into_iter()
            .map(|id| id.trim_end_matches("-error").to_owned())
            .collect()
    }

    /// The messages `#error-summary` lists, `None` when there is no summary.
    pub fn error_summary(&self) -> Option<Vec<String>> {
        self.has("#error-summary")
            .then(|| self.texts("#error-summary li"))
    }

    /// The fields `#error-summary` links to.
    pub fn summary_links(&self) -> Vec<String> {
        self.attrs("#error-summary li a", "href")
            .into_iter()
            .map(|h| h.trim_start_matches('#').to_owned())
            .collect()
    }

    /// The links of `#error-summary` that lead to no element of the page.
    pub fn broken_summary_links(&self) -> Vec<String> {
        self.summary_links()
            .into_iter()
            .filter(|target| !self.has(&format!("[id='{target}']")))
            .collect()
    }

    /// Asserts each link of `#error-summary` leads to an element of the page.
    #[track_caller]
    pub fn assert_errors_linked(&self) {
        let broken = self.broken_summary_links();
        assert!(
            broken.is_empty(),
            "{}: #error-summary links to {broken:?}, not on the page",
            self.path
        );
    }

    /// Asserts every control a person fills in has a label: `label[for]`, a wrapping label,
    /// or an ARIA name.
    #[track_caller]
    pub fn assert_inputs_labelled(&self) {
        for control in self.select("input:not([type=hidden]), select, textarea") {
            let el = control.value();
            let named = el.attr("aria-label").is_some() || el.attr("aria-labelledby").is_some();
            let wrapped = control
                .ancestors()
                .any(|a| a.value().as_element().is_some_and(|e| e.name() == "label"));
            let labelled = el
                .attr("id")
                .is_some_and(|id| self.has(&format!("label[for='{id}']")));
            assert!(
                named || wrapped || labelled,
                "{}: the control `{}` has no label",
                self.path,
                el.attr("name").unwrap_or("?")
            );
        }
    }

    /// `.flash`, the message shown once after a redirect.
    pub fn flash(&self) -> Option<String> {
        self.select(".flash").into_iter().next().map(text_of)
    }

    /// Asserts what every page has: a language, a skip link to the main content, a header with
    /// navigation, one `<h1>` in `main#main`, and a footer.
    #[track_caller]
    pub fn assert_landmarks(&self) {
        let lang = self.lang();
        assert!(
            ["en", "de", "sv", "fr"].contains(&lang.as_str()),
            "{}: html[lang] is {lang:?}",
            self.path
        );
        assert_eq!(
            self.attr("a.skip-link", "href").as_deref(),
            Some("#main"),
            "{}: a skip link to #main",
            self.path
        );
        assert!(self.has("header nav"), "{}: header with nav", self.path);
        assert!(self.has("footer"), "{}: footer", self.path);
        assert_eq!(self.select("main#main").len(), 1, "{}: one main", self.path);
        let h1 = self.texts("h1");
        assert_eq!(h1.len(), 1, "{}: one h1, got {h1:?}", self.path);
        assert!(
            self.has("main#main h1") && !h1[0].is_empty(),
            "{}: the h1 is in main and says something",
            self.path
        );
        assert!(
            self.header("content-type")
                .is_some_and(|c| c.starts_with("text/html")),
            "{}: HTML",
            self.path
        );
    }

    /// Asserts a page a person can see with its landmarks, and answers its heading.
    #[track_caller]
    pub fn assert_page(&self) -> String {
        self.expect(200);
        self.assert_landmarks();
        self.h1()
    }

    /// The form `css` of this page, with the values a browser would send as it stands.
    #[track_caller]
    pub fn form(&self, css: &str) -> Form {
        let form = self.one(css);
        let action = form.value().attr("action").unwrap_or(&self.path).to_owned();
        let method = form
            .value()
            .attr("method")
            .unwrap_or("get")
            .to_ascii_uppercase();
        let mut fields = Vec::new();
        for control in form.select(&selector("input, textarea, select")) {
            let el = control.value();
            let Some(name) = el.attr("name") else {
                continue;
            };
            if el.attr("disabled").is_some() {
                continue;
            }
            match el.name() {
                "input" => {
                    let kind = el.attr("type").unwrap_or("text").to_ascii_lowercase();
                    if matches!(
                        kind.as_str(),
                        "submit" | "button" | "image" | "reset" | "file"
                    ) {
                        continue;
                    }
                    if matches!(kind.as_str(), "checkbox" | "radio") && el.attr("checked").is_none()
                    {
                        continue;
                    }
                    let default = if kind == "checkbox" || kind == "radio" {
                        "on"
                    } else {
                        ""
                    };
                    fields.push((
                        name.to_owned(),
                        el.attr("value").unwrap_or(default).to_owned(),
                    ));
                }
                "textarea" => fields.push((name.to_owned(), control.text().collect())),
                "select" => {
                    let options: Vec<ElementRef<'_>> =
                        control.select(&selector("option")).collect();
                    let chosen = options
                        .iter()
                        .find(|o| o.value().attr("selected").is_some())
                        .or(options.first());
                    if let Some(option) = chosen {
                        let value = option
                            .value()
                            .attr("value")
                            .map(str::to_owned)
                            .unwrap_or_else(|| text_of(*option));
                        fields.push((name.to_owned(), value));
                    }
                }
                _ => {}
            }
        }
        Form {
            action,
            method,
            fields,
        }
    }
}

/// A form as a browser would send it.
#[derive(Debug, Clone)]
pub struct Form {
    pub action: String,
    pub method: String,
    pub fields: Vec<(String, String)>,
}

impl Form {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Fills in `fields`: each name given replaces every value the form had for it, and a name
    /// given twice sends both values (as checked checkboxes do).
    pub fn fill(mut self, fields: &[(&str, &str)]) -> Form {
        for (name, _) in fields {
            self.fields.retain(|(k, _)| k != name);
        }
        for (name, value) in fields {
            self.fields.push(((*name).to_owned(), (*value).to_owned()));
        }
        self
    }

    /// Leaves `name` out.
    pub fn without(mut self, name: &str) -> Form {
        self.fields.retain(|(k, _)| k != name);
        self
    }
}

/// One person's browser.
pub struct Portal {
    pub base: String,
    client: reqwest::Client,
    jar: Arc<Jar>,
    /// The last HTML page this browser was shown, for [`Portal::submit`].
    last: RefCell<Option<(String, String)>>,
}

impl Portal {
    pub fn new(app: &TestApp) -> Portal {
        Portal::at(&app.address)
    }

    pub fn at(base: &str) -> Portal {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(jar.clone())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("HTTP client");
        Portal {
            base: base.to_owned(),
            client,
            jar,
            last: RefCell::new(None),
        }
    }

    /// Another browser that carries `cookie` (`name=value`), as if it had been copied.
    pub fn with_cookie(app: &TestApp, cookie: &str) -> Portal {
        let portal = Portal::new(app);
        portal.jar.add_cookie_str(cookie, &portal.base_url());
        portal
    }

    fn base_url(&self) -> url::Url {
        url::Url::parse(&self.base).expect("the app's address is a URL")
    }

    /// The value of this browser's cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let header = self.jar.cookies(&self.base_url())?;
        header
            .to_str()
            .ok()?
            .split("; ")
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .map(str::to_owned)
    }

    /// The session cookie as `name=value`, to copy into another browser.
    pub fn session(&self) -> Option<String> {
        self.cookie(SESSION_COOKIE)
            .map(|v| format!("{SESSION_COOKIE}={v}"))
    }

    async fn send(&self, request: reqwest::RequestBuilder, path: &str) -> Page {
        let response = request.send().await.expect("the request reaches the app");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.expect("a readable body");
        let is_html = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("text/html"));
        // A page that shows a form to fill in (again): not an error page, whose only form is
        // the language switcher.
        let fillable = matches!(status.as_u16(), 200 | 400 | 409 | 422);
        if is_html && fillable && body.contains("<form") {
            *self.last.borrow_mut() = Some((path.to_owned(), body.clone()));
        }
        Page {
            path: path.to_owned(),
            status,
            html: Html::parse_document(&body),
            headers,
            body,
        }
    }

    /// `GET path` with extra headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = self.client.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request, path).await
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with(path, &[]).await
    }

    /// Follows the redirect `page` answered.
    #[track_caller]
    pub fn follow<'a>(&'a self, page: &Page) -> impl Future<Output = Page> + 'a {
        let to = page.redirect();
        async move { self.get(&to).await }
    }

    /// Posts `fields` to `path` as a form with `headers`, from this origin unless `headers`
    /// name another `Origin`.
    pub async fn post_with(
        &self,
        path: &str,
        fields: &[(String, String)],
        headers: &[(&str, &str)],
    ) -> Page {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .form(fields);
        if !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("origin"))
        {
            request = request.header("origin", &self.base);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request, path).await
    }

    /// Posts `fields` to `path` without an `Origin` (or anything else that names the site).
    pub async fn post_without_origin(&self, path: &str, fields: &[(String, String)]) -> Page {
        let request = self
            .client
            .request(Method::POST, format!("{}{path}", self.base))
            .form(fields);
        self.send(request, path).await
    }

    /// Sends `form` as a browser would: a GET form as a query, a POST form as a body.
    pub async fn send_form(&self, form: &Form) -> Page {
        if form.method == "GET" {
            let query = serde_urlencoded::to_string(&form.fields).expect("a query");
            self.get(&format!("{}?{query}", form.action)).await
        } else {
            self.post_with(&form.action, &form.fields, &[]).await
        }
    }

    /// The form `css` of the last page shown, with `fields` filled in, sent.
    pub async fn submit(&self, css: &str, fields: &[(&str, &str)]) -> Page {
        let form = self.current_form(css);
        self.send_form(&form.fill(fields)).await
    }

    /// The form `css` of the last page shown.
    #[track_caller]
    pub fn current_form(&self, css: &str) -> Form {
        let (path, body) = self
            .last
            .borrow()
            .clone()
            .expect("a page with a form was shown");
        let page = Page {
            path,
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            html: Html::parse_document(&body),
            body,
        };
        page.form(css)
    }

    /// Signs in through `/sign-in`; answers the redirect after it.
    pub async fn sign_in_to(&self, email: &str, password: &str, next: Option<&str>) -> Page {
        let path = match next {
            Some(n) => format!(
                "/sign-in?{}",
                serde_urlencoded::to_string([("next", n)]).unwrap()
            ),
            None => "/sign-in".to_owned(),
        };
        self.get(&path).await.expect(200);
        self.submit("#sign-in-form", &[("email", email), ("password", password)])
            .await
    }

    /// Signs in through `/sign-in` and asserts it worked.
    pub async fn sign_in(&self, email: &str, password: &str) -> Page {
        let page = self.sign_in_to(email, password, None).await;
        assert_eq!(page.redirect(), "/landings", "signed in as {email}");
        page
    }
}

/// A browser signed in as `email` with the fixtures' password.
pub async fn signed_in(app: &TestApp, email: &str) -> Portal {
    let portal = Portal::new(app);
    portal.sign_in(email, PASSWORD).await;
    portal
}
