//! Code lists: closed sets of values with a stable wire code and Korean/English labels.
//!
//! Every code list of the guides (센터구분, 운영형태, ...) is declared with [`code_list!`], so
//! parsing, labels and the list of allowed values come from one declaration.

/// What every code list offers to the outer layers.
pub trait CodeList: Sized + Copy + 'static {
    /// All values, in the order the guide lists them.
    const ALL: &'static [Self];
    /// Stable lower-snake-case code used in the database, JSON and forms.
    fn code(self) -> &'static str;
    fn label_ko(self) -> &'static str;
    fn label_en(self) -> &'static str;

    fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }

    fn label(self, lang: crate::text::Lang) -> &'static str {
        match lang {
            crate::text::Lang::Ko => self.label_ko(),
            crate::text::Lang::En => self.label_en(),
        }
    }

    fn codes() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.code()).collect()
    }
}

/// Declares a code-list enum: `Variant => ("code", "한국어", "English")`.
#[macro_export]
macro_rules! code_list {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => ($code:literal, $ko:literal, $en:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $crate::code_list::CodeList for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn code(self) -> &'static str { match self { $(Self::$variant => $code),+ } }
            fn label_ko(self) -> &'static str { match self { $(Self::$variant => $ko),+ } }
            fn label_en(self) -> &'static str { match self { $(Self::$variant => $en),+ } }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::code_list::CodeList::code(*self))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::code_list::CodeList::code(*self))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                <Self as $crate::code_list::CodeList>::parse(&s).ok_or_else(|| {
                    ::serde::de::Error::unknown_variant(&s, &[$($code),+])
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::CodeList;
    use crate::org::OperationForm;

    #[test]
    fn codes_round_trip_and_are_unique() {
        for v in OperationForm::ALL {
            assert_eq!(OperationForm::parse(v.code()), Some(*v));
        }
        let mut codes = OperationForm::codes();
        codes.dedup();
        assert_eq!(codes.len(), OperationForm::ALL.len());
        assert_eq!(OperationForm::parse("nonsense"), None);
    }

    #[test]
    fn serde_rejects_unknown_code_and_lists_allowed() {
        let err = serde_json::from_str::<OperationForm>("\"rented\"").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("outsourced"), "{msg}");
    }
}
