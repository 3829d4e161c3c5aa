//! One type per kind of id, so a cluster's id cannot be passed where an offer's is meant. Every
//! id of the service is a UUIDv7, stored as TEXT in its hyphenated lower-case spelling.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug,
            Clone,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            Serialize,
        )]
                #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A new, time-ordered id.
            pub fn generate() -> $name {
                $name(uuid::Uuid::now_v7().to_string())
            }

            /// The id `raw` spells, in any spelling of a UUID; `None` when it is none.
            pub fn parse(raw: &str) -> Option<$name> {
                uuid::Uuid::try_parse(raw.trim())
                    .ok()
                    .map(|id| $name(id.hyphenated().to_string()))
            }

            /// An id as stored, taken on trust (rows, and ids already checked).
            pub fn from_stored(stored: String) -> $name {
                $name(stored)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        /// Only a UUID is an id: anything else names nothing (a path answers 404).
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let raw = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                $name::parse(&raw).ok_or_else(|| serde::de::Error::custom("not an id"))
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }
    };
}

id_type!(
    /// A cluster of the roaming network.
    ClusterId
);
id_type!(
    /// An offer of a host cluster.
    OfferId
);
id_type!(
    /// A soft-landing request.
    LandingId
);
id_type!(
    /// An SME, member of its home cluster.
    SmeId
);
id_type!(
    /// The agreement between two clusters.
    PartnershipId
);
id_type!(
    /// A blackout of an offer.
    BlackoutId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_a_uuid_in_one_spelling() {
        let id = OfferId::generate();
        assert_eq!(
            OfferId::parse(&id.as_str().to_uppercase()),
            Some(id.clone())
        );
        assert_eq!(OfferId::parse("not-an-id"), None);
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            format!("\"{}\"", id.as_str())
        );
    }
}
