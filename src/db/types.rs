//! How the domain's own types are stored: each is one TEXT column, written from its `as_str`
//! and read back through its parser, on both backends. A value the parser refuses is a
//! deserialisation error, never a silent default.

use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;

use super::{MultiBackend, MultiRawValue};
use crate::domain::account::Role;
use crate::domain::ids::{BlackoutId, ClusterId, LandingId, OfferId, PartnershipId, SmeId};
use crate::domain::landing::LandingState;
use crate::domain::offer::{OfferKind, OfferState};
use crate::domain::partnership::PartnershipState;
use crate::domain::sme::Membership;

/// Maps `$ty` to TEXT: `$to` gives the stored text, `$from` parses it (an `Option`).
macro_rules! text_column {
    ($ty:ty, $what:literal, $to:expr, $from:expr) => {
        impl ToSql<Text, Pg> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql($to(self), out)
            }
        }

        impl ToSql<Text, Sqlite> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <str as ToSql<Text, Sqlite>>::to_sql($to(self), out)
            }
        }

        impl ToSql<Text, MultiBackend> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((Text, self));
                Ok(serialize::IsNull::No)
            }
        }

        impl FromSql<Text, MultiBackend> for $ty {
            fn from_sql(bytes: MultiRawValue<'_>) -> deserialize::Result<Self> {
                bytes.from_sql::<Self, Text>()
            }
        }

        impl FromSql<Text, Pg> for $ty {
            fn from_sql(
                bytes: <Pg as diesel::backend::Backend>::RawValue<'_>,
            ) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, Pg>>::from_sql(bytes)?;
                $from(text.as_str()).ok_or_else(|| format!("not a {}: {text:?}", $what).into())
            }
        }

        impl FromSql<Text, Sqlite> for $ty {
            fn from_sql(
                bytes: <Sqlite as diesel::backend::Backend>::RawValue<'_>,
            ) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, Sqlite>>::from_sql(bytes)?;
                $from(text.as_str()).ok_or_else(|| format!("not a {}: {text:?}", $what).into())
            }
        }
    };
}

text_column!(
    LandingState,
    "landing state",
    |v: &LandingState| v.as_str(),
    LandingState::parse
);
text_column!(
    OfferState,
    "offer state",
    |v: &OfferState| v.as_str(),
    OfferState::parse
);
text_column!(
    OfferKind,
    "offer kind",
    |v: &OfferKind| v.as_str(),
    |s: &str| OfferKind::parse(s).ok()
);
text_column!(
    PartnershipState,
    "partnership state",
    |v: &PartnershipState| v.as_str(),
    PartnershipState::parse
);
text_column!(
    Membership,
    "membership",
    |v: &Membership| v.as_str(),
    Membership::parse
);
text_column!(Role, "role", |v: &Role| v.as_str(), Role::parse);
text_column!(ClusterId, "ClusterId", ClusterId::as_str, |s: &str| Some(
    ClusterId::from_stored(s.to_owned())
));
text_column!(OfferId, "OfferId", OfferId::as_str, |s: &str| Some(
    OfferId::from_stored(s.to_owned())
));
text_column!(LandingId, "LandingId", LandingId::as_str, |s: &str| Some(
    LandingId::from_stored(s.to_owned())
));
text_column!(SmeId, "SmeId", SmeId::as_str, |s: &str| Some(
    SmeId::from_stored(s.to_owned())
));
text_column!(
    PartnershipId,
    "PartnershipId",
    PartnershipId::as_str,
    |s: &str| Some(PartnershipId::from_stored(s.to_owned()))
);
text_column!(
    BlackoutId,
    "BlackoutId",
    BlackoutId::as_str,
    |s: &str| Some(BlackoutId::from_stored(s.to_owned()))
);
