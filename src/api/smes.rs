//! `/smes`: public sign-up, the home cluster's membership decisions (`verify`, `decline`), the
//! profile (`GET`/`PATCH` with `If-Match`), lists for clusters and the admin, and the SME's
//! members (inviting a colleague). The handlers call [`crate::service::smes`].

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::conditional::{IfMatch, etag, with_etag};
use super::extract::{Input, Json, PathId, Query, not_null, nullable};
use super::paging::{Page, decode_cursor, page_limit};
use crate::auth::Principal;
use crate::auth::client_address::ClientAddress;
use crate::db::accounts::UserRow;
use crate::db::smes::SmeRow;
use crate::domain::account::{Email, Password, Role, locale_field};
use crate::domain::ids::SmeId;
use crate::domain::sme::{
    Contact, Employees, Languages, Membership, MembershipAction, ProfileChange, SignUp,
    TargetMarkets,
};
use crate::domain::values::{CountryCode, Fields, WebUrl, language, line, sector, text};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::service::accounts::Invitee;
use crate::service::smes::{self, ListQuery};
use crate::state::AppState;

/// Longest SME or person name.
const NAME_MAX: usize = 200;
/// Longest reason given with a decline.
const REASON_MAX: usize = 2000;

fn utc(t: chrono::NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

// ---------------------------------------------------------------------------------------------
// Resources

/// Whom to contact at the SME: the person who signed it up, unless changed since.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SmeContactView {
    pub name: String,
    pub email: String,
}

/// An SME of the network.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SmeView {
    pub id: String,
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub sector: String,
    pub website: Option<String>,
    pub employees: Option<i32>,
    pub home_cluster_id: String,
    pub membership: Membership,
    pub contact: SmeContactView,
    /// Countries the SME wants to enter (ISO 3166-1 alpha-2), at most 50.
    pub target_markets: Vec<String>,
    /// Languages the SME's people work in (ISO 639-1), at most 20.
    pub languages: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<SmeRow> for SmeView {
    fn from(row: SmeRow) -> SmeView {
        SmeView {
            membership: row.membership,
            target_markets: row.target_markets(),
            languages: row.languages(),
            id: row.id.into(),
            name: row.name,
            country: row.country,
            sector: row.sector,
            website: row.website,
            employees: row.employees,
            home_cluster_id: row.home_cluster_id.into(),
            contact: SmeContactView {
                name: row.contact_name,
                email: row.contact_email,
            },
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

/// A person with an account at an SME.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SmeMemberView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub sme_id: String,
    /// `invited` until the person sets a password, then `active`; `disabled` when switched off.
    #[schema(value_type = String, example = "invited")]
    pub state: &'static str,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl SmeMemberView {
    fn of(row: UserRow, sme_id: &str) -> SmeMemberView {
        SmeMemberView {
            state: if row.disabled {
                "disabled"
            } else if row.password_hash.is_none() {
                "invited"
            } else {
                "active"
            },
            role: row.role,
            sme_id: row.sme_id.unwrap_or_else(|| sme_id.to_owned()),
            id: row.id,
            email: row.email,
            name: row.name,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

fn created(location: String, body: &impl Serialize, etag_of: Option<(&str, i32)>) -> HttpResponse {
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, location));
    if let Some((id, version)) = etag_of {
        response.insert_header((header::ETAG, etag(id, version)));
    }
    response.json(body)
}

fn sme_location(id: &str) -> String {
    format!("/api/v1/smes/{id}")
}

// ---------------------------------------------------------------------------------------------
// Sign-up

/// The SME's first member, who is also its contact.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignUpContact {
    #[schema(required = true, value_type = String, max_length = 200)]
    pub name: Option<String>,
    #[schema(required = true, value_type = String)]
    pub email: Option<String>,
    /// At least 12 characters.
    #[schema(required = true, value_type = String, min_length = 12, format = Password)]
    pub password: Option<String>,
}

/// A public sign-up: the SME and its first member.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignUpRequest {
    #[schema(required = true, value_type = String, max_length = 200)]
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[schema(required = true, value_type = String, example = "DE")]
    pub country: Option<String>,
    #[schema(required = true, value_type = String, example = "software")]
    pub sector: Option<String>,
    pub website: Option<String>,
    #[schema(minimum = 1, maximum = 1_000_000)]
    pub employees: Option<i64>,
    #[schema(required = true, value_type = String)]
    pub home_cluster_id: Option<String>,
    /// Languages the SME's people work in (ISO 639-1), at most 20.
    #[schema(value_type = Vec<String>, required = false, max_items = 20, example = json!(["en", "de"]))]
    pub languages: Option<Vec<String>>,
    #[schema(required = true, value_type = SignUpContact)]
    pub contact: Option<SignUpContact>,
}

/// A list of ISO 639-1 codes, each named `languages[i]` when it is not one.
fn languages_of(fields: &mut Fields, codes: Vec<String>) -> Option<Languages> {
    fields
        .each("languages", codes, Languages::MAX, language)
        .map(Languages::new)
}

fn name_of(fields: &mut Fields, field: &str, raw: Option<String>) -> Option<String> {
    let raw = fields.required(field, raw)?;
    fields.check(field, line(&raw, 1, NAME_MAX))
}

impl Input for SignUpRequest {
    type Parsed = SignUp;

    fn parse(self) -> Result<SignUp, Vec<FieldError>> {
        let mut f = Fields::new();
        let name = name_of(&mut f, "name", self.name);
        let country = f
            .required("country", self.country)
            .and_then(|c| f.check("country", CountryCode::parse(&c)));
        let sector = f
            .required("sector", self.sector)
            .and_then(|s| f.check("sector", sector(&s)));
        let website = self.website.map(|w| f.check("website", WebUrl::parse(&w)));
        let employees = self
            .employees
            .map(|n| f.check("employees", Employees::parse(n)));
        let home_cluster_id = f
            .required("home_cluster_id", self.home_cluster_id)
            .and_then(|id| {
                f.check(
                    "home_cluster_id",
                    uuid::Uuid::parse_str(id.trim())
                        .map(|u| u.to_string())
                        .map_err(|_| "must be the id of a cluster"),
                )
            });
        let languages = languages_of(&mut f, self.languages.unwrap_or_default());
        let contact = f.required("contact", self.contact).map(|c| {
            (
                name_of(&mut f, "contact.name", c.name),
                f.required("contact.email", c.email)
                    .and_then(|e| f.check("contact.email", Email::parse(&e))),
                f.required("contact.password", c.password)
                    .and_then(|p| f.check("contact.password", Password::parse(&p))),
            )
        });
        f.finish(|| {
            let (contact_name, email, password) = contact?;
            Some(SignUp {
                name: name?,
                country: country?,
                sector: sector?,
                website: website.flatten(),
                employees: employees.flatten(),
                home_cluster_id: home_cluster_id?,
                languages: languages?,
                contact: Contact {
                    name: contact_name?,
                    email: email?,
                    password: password?,
                },
                locale: None,
            })
        })
    }
}

/// Signs an SME up (public). Creates the SME with `membership: "pending"` and its first member,
/// who can log in at once, and mails the home cluster's managers. Verification gates landings,
/// not login. Each client address has `auth.sign_up_max_per_address` sign-ups a window.
#[utoipa::path(
    tag = "smes",
    request_body = SignUpRequest,
    responses(
        (status = 201, body = SmeView, description = "Signed up; `Location` and `ETag` name the SME",
            headers(("Location" = String), ("ETag" = String))),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`email_taken`: the contact's address has an account"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json",
            description = "Every invalid field, `contact.*` included; an unknown `home_cluster_id`"),
        (status = 429, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`rate_limited`: too many sign-ups from this address; see `Retry-After`"),
        (status = 503, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`busy`: too many password checks in progress; see `Retry-After`")
    )
)]
#[post("/smes")]
pub async fn sign_up(
    state: web::Data<AppState>,
    ClientAddress(address): ClientAddress,
    Json(input): Json<SignUpRequest>,
) -> ApiResult<HttpResponse> {
    let row = smes::sign_up(&state, &address, input).await?;
    let location = sme_location(&row.id);
    let (id, version) = (row.id.clone(), row.version);
    Ok(created(location, &SmeView::from(row), Some((&id, version))))
}

// ---------------------------------------------------------------------------------------------
// Lists and single SMEs

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SmeListQuery {
    /// `pending`, `verified` or `declined`.
    pub membership: Option<String>,
    /// ISO 3166-1 alpha-2 country of the SME.
    pub country: Option<String>,
    /// Only the SMEs of this home cluster (within what the caller may see).
    pub home_cluster_id: Option<String>,
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// SMEs in id order: all of them for the admin, a cluster's own members for its managers and
/// API clients. SME members have no list (403).
#[utoipa::path(
    tag = "smes",
    security(("bearer" = [])),
    params(SmeListQuery),
    responses(
        (status = 200, body = Page<SmeView>),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/smes")]
pub async fn list_smes(
    state: web::Data<AppState>,
    principal: Principal,
    Query(query): Query<SmeListQuery>,
) -> ApiResult<web::Json<Page<SmeView>>> {
    let limit = query.limit;
    let query = parse_list_query(query);
    let limit = query.as_ref().map_or(limit.unwrap_or(0), |q| q.limit);
    let rows = smes::list(&state, principal, query).await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |r| &r.id,
        SmeView::from,
    )))
}

fn parse_list_query(query: SmeListQuery) -> Result<ListQuery, ApiError> {
    let mut f = Fields::new();
    let membership = query.membership.as_deref().and_then(|m| {
        f.check(
            "membership",
            Membership::parse(m).ok_or("must be one of pending, verified, declined"),
        )
    });
    let country = query
        .country
        .as_deref()
        .and_then(|c| f.check("country", CountryCode::parse(c)));
    let limit = f.check("limit", page_limit(query.limit).map_err(|e| e.message));
    let after = decode_cursor(query.cursor.as_deref())?;
    let limit = f.finish(|| limit).map_err(ApiError::validation)?;
    Ok(ListQuery {
        home_cluster_id: query.home_cluster_id,
        membership,
        country,
        after,
        limit,
    })
}

/// One SME, with its `ETag`. Visible to its members, its home cluster and the admin; 404 to
/// everyone else.
#[utoipa::path(
    tag = "smes",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "SME id")),
    responses(
        (status = 200, body = SmeView, headers(("ETag" = String))),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/smes/{id}")]
pub async fn get_sme(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<SmeId>,
) -> ApiResult<HttpResponse> {
    let row = smes::get(&state, principal, path.into_inner()).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&SmeView::from(row), &id, version))
}

// ---------------------------------------------------------------------------------------------
// Profile changes

/// A profile change: only the fields present change; `website` and `employees` take `null` to
/// clear. `membership` (see `/verify`, `/decline`) and `home_cluster_id` cannot change here.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchSmeRequest {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, max_length = 200)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, example = "DE")]
    pub country: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String)]
    pub sector: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable)]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>, nullable, minimum = 1, maximum = 1_000_000)]
    pub employees: Option<Option<i64>>,
    /// ISO 3166-1 alpha-2 codes, at most 50; `[]` clears.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Vec<String>, max_items = 50)]
    pub target_markets: Option<Vec<String>>,
    /// ISO 639-1 codes, at most 20; `[]` clears.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Vec<String>, required = false, max_items = 20)]
    pub languages: Option<Vec<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(ignore)]
    pub membership: Option<Option<serde_json::Value>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(ignore)]
    pub home_cluster_id: Option<Option<serde_json::Value>>,
}

impl Input for PatchSmeRequest {
    type Parsed = ProfileChange;

    fn parse(self) -> Result<ProfileChange, Vec<FieldError>> {
        let mut f = Fields::new();
        if self.membership.is_some() {
            f.add(
                "membership",
                "cannot be changed here; the home cluster uses /verify or /decline",
            );
        }
        if self.home_cluster_id.is_some() {
            f.add("home_cluster_id", "cannot be changed");
        }
        let name = self
            .name
            .and_then(|n| f.check("name", line(&n, 1, NAME_MAX)));
        let country = self
            .country
            .and_then(|c| f.check("country", CountryCode::parse(&c)));
        let sector_value = self.sector.and_then(|s| f.check("sector", sector(&s)));
        let website = self.website.map(|w| match w {
            None => None,
            Some(w) => f.check("website", WebUrl::parse(&w)),
        });
        let employees = self.employees.map(|n| match n {
            None => None,
            Some(n) => f.check("employees", Employees::parse(n)),
        });
        let target_markets = self
            .target_markets
            .and_then(|codes| {
                f.each(
                    "target_markets",
                    codes,
                    TargetMarkets::MAX,
                    CountryCode::parse,
                )
            })
            .map(TargetMarkets::new);
        let languages = self.languages.and_then(|codes| languages_of(&mut f, codes));
        f.finish(|| {
            Some(ProfileChange {
                name,
                country,
                sector: sector_value,
                website,
                employees,
                target_markets,
                languages,
            })
        })
    }
}

/// Changes the SME's profile. Honours `If-Match` (412 when the ETag is stale) and answers the
/// SME with its new `ETag`. Whoever sees the SME may edit it.
#[utoipa::path(
    tag = "smes",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "SME id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")
    ),
    request_body = PatchSmeRequest,
    responses(
        (status = 200, body = SmeView, headers(("ETag" = String))),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/smes/{id}")]
pub async fn patch_sme(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<SmeId>,
    if_match: IfMatch,
    Json(change): Json<PatchSmeRequest>,
) -> ApiResult<HttpResponse> {
    let row = smes::update_profile(&state, principal, path.into_inner(), if_match, change).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&SmeView::from(row), &id, version))
}

// ---------------------------------------------------------------------------------------------
// Membership decisions

/// Verifying takes no parameters; an empty body is fine.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {}

impl Input for VerifyRequest {
    type Parsed = ();

    fn parse(self) -> Result<(), Vec<FieldError>> {
        Ok(())
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineRequest {
    /// Told to the SME's contact; up to 2000 characters.
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

impl Input for DeclineRequest {
    type Parsed = Option<String>;

    fn parse(self) -> Result<Option<String>, Vec<FieldError>> {
        let mut f = Fields::new();
        let reason = self
            .reason
            .filter(|r| !r.trim().is_empty())
            .and_then(|r| f.check("reason", text(&r, 1, REASON_MAX)));
        f.finish(|| Some(reason))
    }
}

async fn decide(
    state: web::Data<AppState>,
    principal: Principal,
    id: SmeId,
    if_match: IfMatch,
    action: MembershipAction,
    reason: Option<String>,
) -> ApiResult<HttpResponse> {
    let row = smes::decide(&state, principal, id, if_match, action, reason).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&SmeView::from(row), &id, version))
}

/// Verifies a pending SME as a member of its home cluster (its managers, API clients, or the
/// admin) and mails the SME's contact. Any other membership is 409.
#[utoipa::path(
    tag = "smes",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "SME id")),
    request_body(content = VerifyRequest, description = "`{}` or no body"),
    responses(
        (status = 200, body = SmeView, headers(("ETag" = String))),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`illegal_transition`: the SME is not pending")
    )
)]
#[post("/smes/{id}/verify")]
pub async fn verify_sme(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<SmeId>,
    if_match: IfMatch,
    Json(()): Json<VerifyRequest>,
) -> ApiResult<HttpResponse> {
    decide(
        state,
        principal,
        path.into_inner(),
        if_match,
        MembershipAction::Verify,
        None,
    )
    .await
}

/// Declines a pending SME's membership (its home cluster's managers, API clients, or the
/// admin) and mails the SME's contact, with the reason when one is given. Any other
/// membership is 409; a verified SME stays verified.
#[utoipa::path(
    tag = "smes",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "SME id")),
    request_body = DeclineRequest,
    responses(
        (status = 200, body = SmeView, headers(("ETag" = String))),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`illegal_transition`: the SME is not pending"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/smes/{id}/decline")]
pub async fn decline_sme(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<SmeId>,
    if_match: IfMatch,
    Json(reason): Json<DeclineRequest>,
) -> ApiResult<HttpResponse> {
    decide(
        state,
        principal,
        path.into_inner(),
        if_match,
        MembershipAction::Decline,
        reason,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Members

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteMemberRequest {
    #[schema(required = true, value_type = String)]
    pub email: Option<String>,
    #[schema(required = true, value_type = String, max_length = 200)]
    pub name: Option<String>,
    /// The language of the invitation email and of the portal for the colleague: `en`, `de`,
    /// `sv` or `fr`. Without it the portal follows their browser and mail is in English until
    /// they choose.
    pub locale: Option<String>,
}

impl Input for InviteMemberRequest {
    type Parsed = Invitee;

    fn parse(self) -> Result<Invitee, Vec<FieldError>> {
        let mut f = Fields::new();
        let email = f
            .required("email", self.email)
            .and_then(|e| f.check("email", Email::parse(&e)));
        let name = name_of(&mut f, "name", self.name);
        let locale = match self.locale {
            None => Some(None),
            Some(code) => locale_field(&mut f, "locale", &code).map(Some),
        };
        f.finish(|| {
            Some(Invitee {
                email: email?,
                name: name?,
                locale: locale?,
            })
        })
    }
}

/// Invites a colleague to the SME: an account without a password and a mailed set-password
/// link (valid 7 days, confirmed at `/auth/password-reset/confirm`). The SME's members, its
/// home cluster and the admin may invite.
#[utoipa::path(
    tag = "smes",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "SME id")),
    request_body = InviteMemberRequest,
    responses(
        (status = 201, body = SmeMemberView, headers(("Location" = String))),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`email_taken`: the address has an account"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/smes/{id}/members")]
pub async fn invite_member(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<SmeId>,
    Json(member): Json<InviteMemberRequest>,
) -> ApiResult<HttpResponse> {
    let user = smes::invite_member(&state, principal, path.into_inner(), member).await?;
    let (sme_id, user) = user;
    let location = format!("/api/v1/smes/{sme_id}/members/{}", user.id);
    Ok(created(location, &SmeMemberView::of(user, &sme_id), None))
}

/// The SME's members, invited ones included. Visible to whoever sees the SME.
#[utoipa::path(
    tag = "smes",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "SME id")),
    responses(
        (status = 200, body = super::paging::Page<SmeMemberView>),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/smes/{id}/members")]
pub async fn list_members(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<SmeId>,
) -> ApiResult<web::Json<super::paging::Page<SmeMemberView>>> {
    let (sme_id, rows) = smes::members(&state, principal, path.into_inner()).await?;
    Ok(web::Json(super::paging::Page {
        items: rows
            .into_iter()
            .map(|r| SmeMemberView::of(r, &sme_id))
            .collect(),
        next_cursor: None,
    }))
}

/// One member of the SME.
#[utoipa::path(
    tag = "smes",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "SME id"),
        ("member_id" = String, Path, description = "The member's account id")
    ),
    responses(
        (status = 200, body = SmeMemberView),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/smes/{id}/members/{member_id}")]
pub async fn get_member(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(SmeId, PathId)>,
) -> ApiResult<web::Json<SmeMemberView>> {
    let (id, PathId(member_id)) = path.into_inner();
    let (sme_id, user) = smes::member(&state, principal, id, member_id).await?;
    Ok(web::Json(SmeMemberView::of(user, &sme_id)))
}
