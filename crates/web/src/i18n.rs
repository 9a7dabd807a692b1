//! Translations: Fluent files embedded in the binary, Korean first. Templates and error
//! responses ask for a key; a key missing in a language is a test failure (see tests below),
//! and at run time shows the key itself rather than nothing.

use std::borrow::Cow;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use gajok_domain::text::Lang;

// One file per business area keeps concurrent work on different areas from colliding.
pub const KO_FTL: &[&str] = &[
    include_str!("../i18n/ko.ftl"),
    include_str!("../i18n/ko-nanumteo.ftl"),
    include_str!("../i18n/ko-privacy.ftl"),
    include_str!("../i18n/ko-ui.ftl"),
];
pub const EN_FTL: &[&str] = &[
    include_str!("../i18n/en.ftl"),
    include_str!("../i18n/en-nanumteo.ftl"),
    include_str!("../i18n/en-privacy.ftl"),
    include_str!("../i18n/en-ui.ftl"),
];

pub struct I18n {
    ko: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: &str, sources: &[&str]) -> Result<FluentBundle<FluentResource>, String> {
    let id = lang.parse().map_err(|e| format!("{lang}: {e}"))?;
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // Bidi isolation marks would end up in copied text and break string comparisons.
    b.set_use_isolating(false);
    for source in sources {
        let res = FluentResource::try_new(source.to_string()).map_err(|(_, errs)| format!("{lang}.ftl: {errs:?}"))?;
        b.add_resource(res).map_err(|errs| format!("{lang}.ftl: {errs:?}"))?;
    }
    Ok(b)
}

impl I18n {
    pub fn load() -> Result<I18n, String> {
        Ok(I18n { ko: bundle("ko", KO_FTL)?, en: bundle("en", EN_FTL)? })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Ko => &self.ko,
            Lang::En => &self.en,
        }
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).get_message(key).and_then(|m| m.value()).is_some()
    }

    pub fn t(&self, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
        let b = self.bundle(lang);
        let Some(pattern) = b.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, FluentValue::String(Cow::Owned((*v).to_string())));
        }
        let mut errors = Vec::new();
        b.format_pattern(pattern, if args.is_empty() { None } else { Some(&fa) }, &mut errors).into_owned()
    }
}

/// Message ids of a language's Fluent sources, for the completeness tests.
pub fn keys(sources: &[&str]) -> Vec<String> {
    sources
        .iter()
        .flat_map(|s| s.lines())
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let mut ko = keys(KO_FTL);
        let mut en = keys(EN_FTL);
        ko.sort();
        en.sort();
        let missing_en: Vec<_> = ko.iter().filter(|k| !en.contains(k)).collect();
        let missing_ko: Vec<_> = en.iter().filter(|k| !ko.contains(k)).collect();
        assert!(missing_en.is_empty(), "missing in en.ftl: {missing_en:?}");
        assert!(missing_ko.is_empty(), "missing in ko.ftl: {missing_ko:?}");
        let mut dedup = ko.clone();
        dedup.dedup();
        assert_eq!(dedup.len(), ko.len(), "duplicate keys in ko.ftl");
    }

    #[test]
    fn every_key_used_in_code_and_templates_exists() {
        let i = I18n::load().expect("bundles load");
        let mut used = Vec::new();
        let dirs = [concat!(env!("CARGO_MANIFEST_DIR"), "/templates"), concat!(env!("CARGO_MANIFEST_DIR"), "/src")];
        let mut files = Vec::new();
        for d in dirs {
            collect(std::path::Path::new(d), &mut files);
        }
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            // Literal keys passed to the translation helpers in templates and code.
            for marker in [".t(\"", ".t1(\"", ".t2(\"", ".heading(\"", ".hint(\""] {
                for part in text.split(marker).skip(1) {
                    if let Some(end) = part.find('"') {
                        let key = &part[..end];
                        if key.contains('-') && !key.contains(' ') {
                            used.push((f.display().to_string(), key.to_string()));
                        }
                    }
                }
            }
        }
        assert!(used.len() > 50, "expected to find the keys in use, found {}", used.len());
        for (file, key) in used {
            assert!(i.has(Lang::Ko, &key), "{file}: key {key} missing in ko.ftl");
            assert!(i.has(Lang::En, &key), "{file}: key {key} missing in en.ftl");
        }
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        if let Ok(rd) = std::fs::read_dir(dir) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    collect(&p, out);
                } else {
                    out.push(p);
                }
            }
        }
    }

    #[test]
    fn arguments_are_filled_without_isolation_marks() {
        let i = I18n::load().expect("bundles load");
        assert_eq!(i.t(Lang::Ko, "org-count", &[("count", "17")]), "총 17곳");
        assert_eq!(i.t(Lang::En, "dash-welcome", &[("name", "Kim")]), "Hello, Kim.");
        assert_eq!(i.t(Lang::Ko, "no-such-key", &[]), "no-such-key");
    }
}
