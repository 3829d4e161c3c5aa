//! How the domain's own types are stored: each is one TEXT column, written from its `as_str`
//! and read back through its parser, on both backends. A value the parser refuses is a
//! deserialisation error, never a silent default.

use diesel::deserialize::{self, FromSql};
use diesel::expression::AsExpression;
use diesel::internal::derives::as_expression::Bound;
use diesel::pg::Pg;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{Nullable, Text};
use diesel::sqlite::Sqlite;

use super::{MultiBackend, MultiRawValue};
use crate::domain::account::{Locale, Role};
use crate::domain::ids::{BlackoutId, ClusterId, LandingId, OfferId, PartnershipId, SmeId};
use crate::domain::landing::LandingState;
use crate::domain::offer::{OfferKind, OfferState};
use crate::domain::partnership::PartnershipState;
use crate::domain::sme::Membership;

/// What `#[derive(AsExpression, FromSqlRow)]` would write on a type stored as TEXT, written here
/// so the domain's types know nothing of diesel.
macro_rules! stored_as_text {
    ($ty:ty) => {
        impl diesel::deserialize::Queryable<Text, MultiBackend> for $ty {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }

        impl diesel::deserialize::Queryable<Text, Pg> for $ty {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }

        impl diesel::deserialize::Queryable<Text, Sqlite> for $ty {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }

        impl AsExpression<Text> for $ty {
            type Expression = Bound<Text, Self>;

            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<'a> AsExpression<Text> for &'a $ty {
            type Expression = Bound<Text, Self>;

            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<'a, 'b> AsExpression<Text> for &'b &'a $ty {
            type Expression = Bound<Text, Self>;

            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl AsExpression<Nullable<Text>> for $ty {
            type Expression = Bound<Nullable<Text>, Self>;

            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<'a> AsExpression<Nullable<Text>> for &'a $ty {
            type Expression = Bound<Nullable<Text>, Self>;

            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<'a, 'b> AsExpression<Nullable<Text>> for &'b &'a $ty {
            type Expression = Bound<Nullable<Text>, Self>;

            fn as_expression(self) -> Self::Expression {
                Bound::new(self)
            }
        }

        impl<DB> ToSql<Nullable<Text>, DB> for $ty
        where
            DB: diesel::backend::Backend,
            Self: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                ToSql::<Text, DB>::to_sql(self, out)
            }
        }
    };
}

/// Maps `$ty` to TEXT: `$to` gives the stored text, `$from` parses it (an `Option`).
macro_rules! text_column {
    ($ty:ty, $what:literal, $to:expr, $from:expr) => {
        stored_as_text!($ty);

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
text_column!(Locale, "locale", |v: &Locale| v.as_str(), Locale::parse);
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
