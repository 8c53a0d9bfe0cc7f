//! Callback data as typed tables, one per feature.
//!
//! Every inline button carries a [`Cb`] encoded as a short ASCII string (`c:42`, `os:7:ready`):
//! a prefix, then its fields after `:`; ids, never names, so every encoding fits Telegram's
//! 64-byte limit. A button from an old message that no longer decodes is answered with "this
//! button is out of date", never guessed.
//!
//! Each feature declares its buttons once, beside its handlers, with [`callbacks!`]: one line
//! `Variant(field: Type, ..) => "prefix"` per button gives the enum, its encoding, its parsing and
//! its sample values (the round-trip tests and the security probes use them); `keeps_dialog` after
//! the prefix marks a button that continues a typed flow instead of abandoning it. [`Cb`] is the
//! list of features, one line each, and the owner's dispatch in `commands` one line each. The
//! wire format is frozen by `callback/golden.rs`: buttons already on phones keep working.

use crate::domain::profile::Condition;
use crate::domain::OrderStatus;
use crate::i18n::Lang;
use crate::store::clients::TextField;

/// One field of a callback: how it is written after a `:` and read back.
pub trait Field: Sized + Copy {
    fn put(self, out: &mut String);
    fn take(s: &str) -> Option<Self>;
    /// Values for round-trip tests and probes; id fields take `id` and `other`.
    fn samples(id: i64, other: i64) -> Vec<Self>;
}

/// Ids (and minutes since the epoch): positive.
impl Field for i64 {
    fn put(self, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "{self}");
    }
    fn take(s: &str) -> Option<Self> {
        s.parse::<i64>().ok().filter(|v| *v > 0)
    }
    fn samples(id: i64, other: i64) -> Vec<Self> {
        vec![id, other]
    }
}

/// A small index (a service's place in the list).
impl Field for u8 {
    fn put(self, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "{self}");
    }
    fn take(s: &str) -> Option<Self> {
        s.parse().ok()
    }
    fn samples(_: i64, _: i64) -> Vec<Self> {
        vec![0, 1, u8::MAX]
    }
}

/// A day as `YYYYMMDD`.
impl Field for u32 {
    fn put(self, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "{self}");
    }
    fn take(s: &str) -> Option<Self> {
        s.parse().ok()
    }
    fn samples(_: i64, _: i64) -> Vec<Self> {
        vec![20261231, u32::MAX]
    }
}

/// Typed values written as their stable codes (`ALL`, `code`, `from_code`).
macro_rules! coded_field {
    ($($t:ty),+) => {$(
        impl $crate::core::callback::Field for $t {
            fn put(self, out: &mut String) {
                out.push_str(self.code());
            }
            fn take(s: &str) -> Option<Self> {
                <$t>::from_code(s)
            }
            fn samples(_: i64, _: i64) -> Vec<Self> {
                <$t>::ALL.to_vec()
            }
        }
    )+};
}
pub(crate) use coded_field;

coded_field!(TextField, Condition, OrderStatus, Lang);

/// Splits `tag:a:b` into the tag and its fields; `None` for anything longer than Telegram allows.
pub fn split(data: &str) -> Option<(&str, std::str::Split<'_, char>)> {
    if data.len() > 64 || data.split(':').count() > 3 {
        return None;
    }
    let mut parts = data.split(':');
    let tag = parts.next()?;
    Some((tag, parts))
}

/// Declares one feature's buttons: the enum, `encode`, `parse`/`decode`, `PREFIXES`,
/// `continues_flow` (the `keeps_dialog` marks) and `samples`, all from one list.
macro_rules! callbacks {
    (
        $(#[$meta:meta])*
        $vis:vis enum $Name:ident {
            $(
                $(#[$vmeta:meta])*
                $V:ident $( ( $($f:ident : $t:ty),+ ) )? => $prefix:literal $($flag:ident)?
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $Name {
            $( $(#[$vmeta])* $V $( ( $($t),+ ) )? ),+
        }

        impl $Name {
            /// This table's prefixes (the part of the data before the first `:`).
            pub const PREFIXES: &'static [&'static str] = &[$($prefix),+];

            /// The button data, as sent to Telegram.
            pub fn encode(&self) -> String {
                // Room for a tag and two ids without growing (Telegram allows 64 bytes).
                #[allow(unused_mut)]
                let mut out = String::with_capacity(32);
                match *self {
                    $( $Name::$V $( ( $($f),+ ) )? => {
                        out.push_str($prefix);
                        $( $( out.push(':'); $crate::core::callback::Field::put($f, &mut out); )+ )?
                    } )+
                }
                out
            }

            /// Reads the fields after `tag`; `None` for another table's tag, a bad field or a
            /// wrong number of fields.
            pub fn decode(tag: &str, fields: std::str::Split<'_, char>) -> Option<Self> {
                #[allow(unused_mut)]
                let mut fields = fields;
                let value = match tag {
                    $( $prefix => {
                        $( $( let $f = <$t as $crate::core::callback::Field>::take(fields.next()?)?; )+ )?
                        $Name::$V $( ( $($f),+ ) )?
                    } )+
                    _ => return None,
                };
                fields.next().is_none().then_some(value)
            }

            pub fn parse(data: &str) -> Option<Self> {
                let (tag, fields) = $crate::core::callback::split(data)?;
                Self::decode(tag, fields)
            }

            /// True for a button that continues the typed flow in progress.
            pub fn continues_flow(&self) -> bool {
                match self {
                    $( $Name::$V { .. } => $crate::core::callback::__cb_flag!($($flag)?), )+
                }
            }

            /// Every variant with every sample of its fields (see [`Field::samples`]).
            pub fn samples(id: i64, other: i64) -> Vec<Self> {
                let mut out = Vec::new();
                $( $crate::core::callback::__cb_samples!(out, id, other, [$Name::$V] [] $( $($f : $t),+ )?); )+
                out
            }
        }
    };
}
pub(crate) use callbacks;

#[doc(hidden)]
macro_rules! __cb_flag {
    () => {
        false
    };
    (keeps_dialog) => {
        true
    };
}
pub(crate) use __cb_flag;

/// The product of the fields' samples, one loop per field.
#[doc(hidden)]
macro_rules! __cb_samples {
    ($out:ident, $id:ident, $other:ident, [$($ctor:tt)+] []) => {
        $out.push($($ctor)+);
    };
    ($out:ident, $id:ident, $other:ident, [$($ctor:tt)+] [$($done:ident)+]) => {
        $out.push($($ctor)+($($done),+));
    };
    ($out:ident, $id:ident, $other:ident, [$($ctor:tt)+] [$($done:ident)*] $f:ident : $t:ty $(, $rf:ident : $rt:ty)*) => {
        for $f in <$t as $crate::core::callback::Field>::samples($id, $other) {
            $crate::core::callback::__cb_samples!($out, $id, $other, [$($ctor)+] [$($done)* $f] $($rf : $rt),*);
        }
    };
}
pub(crate) use __cb_samples;

/// The features' tables, one line each: `Cb::Client(ClientCb)`.
macro_rules! features {
    ($( $(#[$m:meta])* $F:ident($T:ty) ),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Cb {
            $( $(#[$m])* $F($T) ),+
        }

        $( impl From<$T> for Cb {
            fn from(c: $T) -> Cb {
                Cb::$F(c)
            }
        } )+

        impl Cb {
            pub fn encode(&self) -> String {
                match self {
                    $( Cb::$F(c) => c.encode() ),+
                }
            }

            pub fn parse(data: &str) -> Option<Cb> {
                let (tag, fields) = split(data)?;
                None $( .or_else(|| <$T>::decode(tag, fields.clone()).map(Cb::$F)) )+
            }

            /// True for a button that continues the typed flow in progress.
            pub fn continues_flow(&self) -> bool {
                match self {
                    $( Cb::$F(c) => c.continues_flow() ),+
                }
            }

            /// Every button of every feature with sample fields: the codec's own list, for
            /// round-trip tests and for probing every button as someone who must not press it.
            pub fn samples(id: i64, other: i64) -> Vec<Cb> {
                let mut v = Vec::new();
                $( v.extend(<$T>::samples(id, other).into_iter().map(Cb::$F)); )+
                v
            }

            /// (feature, prefix) of every button.
            pub fn prefixes() -> Vec<(&'static str, &'static str)> {
                let mut v = Vec::new();
                $( v.extend(<$T>::PREFIXES.iter().map(|p| (stringify!($F), *p))); )+
                v
            }
        }
    };
}

callbacks! {
    /// Buttons every flow shares.
    pub enum CommonCb {
        Lang(lang: Lang) => "l",
        Skip => "sk" keeps_dialog,
        Cancel => "x" keeps_dialog,
    }
}

features! {
    Common(CommonCb),
    Client(crate::core::card::ClientCb),
    Order(crate::core::orders::OrderCb),
    Task(crate::core::tasks::TaskCb),
    Import(crate::core::sheets::ImportCb),
    Booking(crate::core::booking::callback::BookingCb),
    Identity(crate::core::booking::identity::IdentityCb),
    Draft(crate::core::drafts::DraftCb),
    Instagram(crate::core::instagram::InstagramCb),
    Lifecycle(crate::core::lifecycle::LifecycleCb),
    Product(crate::core::catalogue::ProductCb),
    Pay(crate::core::payments::PayCb),
    Report(crate::core::reports::ReportCb),
    Summary(crate::core::summary::SummaryCb),
    ProductLife(crate::core::product_life::ProductLifeCb),
    Nps(crate::core::nps::NpsCb),
    Marketing(crate::core::marketing::MarketingCb),
    Ask(crate::core::ask::AskCb),
    Content(crate::core::content::ContentCb),
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn prefixes_are_unique_across_features() {
        let mut seen = std::collections::BTreeMap::new();
        for (feature, prefix) in Cb::prefixes() {
            assert!(!prefix.is_empty() && !prefix.contains(':'), "{feature}: {prefix:?}");
            if let Some(other) = seen.insert(prefix, feature) {
                panic!("prefix {prefix:?} in both {other} and {feature}");
            }
        }
        assert_eq!(seen.len(), 123, "today's 123 buttons");
    }

    #[test]
    fn samples_cover_every_prefix_and_every_coded_value() {
        let samples = Cb::samples(7, 9);
        let tags: std::collections::BTreeSet<String> =
            samples.iter().map(|cb| cb.encode().split(':').next().unwrap().to_string()).collect();
        for (feature, prefix) in Cb::prefixes() {
            assert!(tags.contains(prefix), "{feature}: no sample for {prefix:?}");
        }
        use crate::core::card::ClientCb;
        use crate::core::tasks::{Snooze, TaskCb};
        assert!(Snooze::ALL.iter().all(|s| samples.contains(&TaskCb::Snooze(7, *s).into())));
        assert!(TextField::ALL.iter().all(|f| samples.contains(&ClientCb::Edit(7, *f).into())));
        assert!(Condition::ALL.iter().all(|c| samples.contains(&ClientCb::ToggleCondition(7, *c).into())));
        assert!(OrderStatus::ALL
            .iter()
            .all(|s| samples.contains(&crate::core::orders::OrderCb::SetStatus(7, *s).into())));
        assert!(Lang::ALL.iter().all(|l| samples.contains(&CommonCb::Lang(*l).into())));
        use crate::core::order_edit::OrderField;
        assert!(OrderField::ALL.iter().all(|f| samples.contains(&crate::core::orders::OrderCb::Edit(7, *f).into())));
    }

    #[test]
    fn garbage_does_not_decode() {
        for s in
            ["", "c", "c:", "c:abc", "c:-1", "c:0", "zz:1", "os:1:flying", "c:1:2:3", "l:de", "tk:", "rc:2", "tz:1:w"]
        {
            assert_eq!(Cb::parse(s), None, "{s}");
        }
        assert_eq!(Cb::parse(&format!("c:{}1", "0".repeat(62))), None, "over 64 bytes");
    }

    #[test]
    fn the_keeps_dialog_marks_are_the_buttons_that_continue_a_flow() {
        let kept: Vec<String> = Cb::samples(7, 9)
            .iter()
            .filter(|c| c.continues_flow())
            .map(|c| c.encode().split(':').next().unwrap().to_string())
            .collect();
        let mut kept: Vec<&str> = kept.iter().map(String::as_str).collect();
        kept.dedup();
        assert_eq!(kept, ["sk", "x", "po", "onp", "bv", "bd", "bt", "bc", "ovb", "ytd", "yrd", "aky", "akn"]);
    }

    proptest! {
        #[test]
        fn every_callback_round_trips_within_64_bytes(id in 1i64..=i64::MAX, other in 1i64..=i64::MAX) {
            for cb in Cb::samples(id, other) {
                let enc = cb.encode();
                prop_assert!(enc.len() <= 64, "{} is {} bytes", enc, enc.len());
                prop_assert_eq!(Cb::parse(&enc), Some(cb));
            }
        }
    }
}

#[cfg(test)]
mod golden;
