//! What every page template gets: translations, the signed-in user, navigation by business
//! area (shown per permission), the CSRF token for forms, and a flash message.

use std::sync::Arc;

use gajok_app::authz;
use gajok_domain::code_list::CodeList;
use gajok_domain::text::Lang;

use crate::context::Ctx;
use crate::i18n::I18n;

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub active: bool,
}

pub struct NavSection {
    pub title: String,
    pub items: Vec<NavItem>,
}

pub struct Layout {
    pub lang: Lang,
    i18n: Arc<I18n>,
    pub title: String,
    pub csrf: String,
    pub user_name: Option<String>,
    pub roles: Vec<String>,
    pub nav: Vec<NavSection>,
    pub flash: Option<String>,
    pub path: String,
}

/// Messages a redirect may ask the next page to show (`?done=<key>`); anything else is ignored.
const FLASH_KEYS: &[&str] = &[
    "org-created",
    "org-updated",
    "user-created",
    "user-updated",
    "user-role-added",
    "user-role-removed",
    "user-unlocked",
    "user-password-reset",
    "user-token-revoked",
    "password-changed",
    "member-created",
    "member-updated",
    "member-consent-withdrawn-done",
    "program-created",
    "program-enrolled-done",
    "program-survey-added",
    "program-session-deleted",
    "att-saved",
    "report-submitted",
    "plan-saved",
    "sim-attached",
    "report-reviewed",
    "login-logged-out",
    // 공동육아나눔터·가족품앗이
    "nt-saved",
    "nt-checked-in",
    "nt-checked-out",
    "nt-flag-saved",
    "nt-flag-cleared",
    "nt-item-added",
    "nt-lent",
    "nt-returned-done",
    "nt-renewed",
    "nt-disinfected",
    "nt-group-created",
    "nt-plan-submitted",
    "nt-plan-signed",
    "nt-activity-logged",
    "nt-expense-added",
    "nts-saved",
    "ntp-report-submitted",
    "ntp-report-reviewed",
    "ntp-event-recorded",
    "ntp-family-joined",
    "ntp-orientation-recorded",
    "ntp-currency-added",
    // 개인정보 (privacy)
    "pv-recorded",
    "pv-decided",
    "pv-granted",
    "pv-revoked",
    "pv-officer-saved",
    "pv-foreign-id-saved",
    "pv-note-saved",
    // 개인정보 보호책임자
    "pr-review-signed",
];

impl Layout {
    pub fn new(ctx: &Ctx, title: &str) -> Layout {
        let i18n = ctx.state.i18n.clone();
        let t = |k: &str| i18n.t(ctx.lang, k, &[]);
        let mut nav = Vec::new();
        if let Some(p) = ctx.principal.as_deref() {
            let item = |href: &'static str, key: &str| NavItem {
                href,
                label: t(key),
                active: if href == "/" { ctx.path == "/" } else { ctx.path.starts_with(href) },
            };
            nav.push(NavSection {
                title: t("nav-section-org"),
                items: vec![item("/", "nav-dashboard"), item("/orgs", "nav-orgs")],
            });
            let mut work = Vec::new();
            if !authz::member_centers(p).is_empty() {
                work.push(item("/members", "nav-members"));
                work.push(item("/programs", "nav-programs"));
                work.push(item("/plans/monthly", "nav-plans"));
                work.push(item("/reports/monthly", "nav-reports"));
                work.push(item("/nanumteo", "nav-nanumteo"));
                work.push(item("/pumasi", "nav-pumasi"));
                work.push(item("/privacy/requests", "pv-nav"));
            }
            if p.roles.iter().any(|r| r.role.is_official()) {
                work.push(item("/reports/rollup", "nav-rollup"));
            }
            if !work.is_empty() {
                nav.push(NavSection { title: t("nav-section-work"), items: work });
            }
            let mut admin = Vec::new();
            if authz::can_open_user_admin(p) {
                admin.push(item("/admin/users", "nav-users"));
            }
            if authz::can_manage_tokens(p) {
                admin.push(item("/admin/tokens", "nav-tokens"));
            }
            if !admin.is_empty() {
                nav.push(NavSection { title: t("nav-section-admin"), items: admin });
            }
            if authz::can_search_logs(p) {
                let mut rec = vec![item("/audit/events", "nav-audit"), item("/audit/access", "nav-access")];
                if authz::can_verify_chain(p) {
                    rec.push(item("/audit/verify", "nav-verify"));
                }
                nav.push(NavSection { title: t("nav-section-records"), items: rec });
            }
            if !authz::privacy_officer_scopes(p).is_empty() {
                let items = vec![
                    item("/privacy/access-review", "pr-nav-review"),
                    item("/privacy/destructions", "pr-nav-destructions"),
                ];
                nav.push(NavSection { title: t("pr-nav-section"), items });
            }
        }
        // The public simulators (모의계산), for everyone — also anonymous visitors on the
        // login page.
        nav.push(NavSection {
            title: t("nav-section-public"),
            items: vec![NavItem {
                href: "/simulator",
                label: t("nav-simulator"),
                active: ctx.path.starts_with("/simulator"),
            }],
        });
        let flash =
            ctx.query.split('&').filter_map(|kv| kv.strip_prefix("done=")).find(|k| FLASH_KEYS.contains(k)).map(t);
        Layout {
            lang: ctx.lang,
            title: title.to_string(),
            csrf: ctx.csrf.clone(),
            user_name: ctx.principal.as_deref().map(|p| p.user.display_name.clone()),
            roles: ctx
                .principal
                .as_deref()
                .map(|p| p.role_list().iter().map(|r| r.label(ctx.lang).to_string()).collect())
                .unwrap_or_default(),
            nav,
            flash,
            path: ctx.path.clone(),
            i18n,
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.t(self.lang, key, &[])
    }

    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.i18n.t(self.lang, key, &[(name, value)])
    }

    pub fn t2(&self, key: &str, n1: &str, v1: &str, n2: &str, v2: &str) -> String {
        self.i18n.t(self.lang, key, &[(n1, v1), (n2, v2)])
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// The language the switch in the header offers.
    pub fn other_lang(&self) -> &'static str {
        match self.lang {
            Lang::Ko => "en",
            Lang::En => "ko",
        }
    }

    pub fn label<T: CodeList>(&self, v: &T) -> &'static str {
        v.label(self.lang)
    }

    /// `2024. 5. 3. 14:05` from a stored UTC instant (see `format`).
    pub fn when(&self, stored: &str) -> String {
        crate::format::when(self.lang, stored)
    }

    pub fn when_opt(&self, stored: &Option<String>) -> String {
        stored.as_deref().map(|s| self.when(s)).unwrap_or_else(|| "-".into())
    }

    /// `2024. 5. 3.` from a stored `YYYY-MM-DD`.
    pub fn date(&self, stored: &str) -> String {
        crate::format::date(self.lang, stored)
    }

    pub fn date_opt(&self, stored: &Option<String>) -> String {
        stored.as_deref().map(|s| self.date(s)).unwrap_or_else(|| "-".into())
    }

    /// `2024년 5월` from a stored `YYYY-MM`.
    pub fn month(&self, stored: &str) -> String {
        crate::format::month(self.lang, stored)
    }

    /// `1,234` (Korean digit grouping is the same as English).
    pub fn num(&self, n: impl crate::format::Whole) -> String {
        crate::format::num(n.whole())
    }

    /// `1,234,000원` (ko) or `1,234,000 won` (en).
    pub fn won(&self, n: impl crate::format::Whole) -> String {
        self.t1("fmt-won", "amount", &crate::format::num(n.whole()))
    }

    /// Label of a family-type flag code.
    pub fn flag(&self, code: &str) -> String {
        self.t(&format!("flag-{code}"))
    }

    pub fn yes_no(&self, b: &bool) -> String {
        self.t(if *b { "org-yes" } else { "org-no" })
    }
}

/// One field of a generic form (`templates/fields.html`).
pub enum FormField {
    Heading {
        label: String,
    },
    Text {
        name: &'static str,
        label: String,
        value: String,
        input_type: &'static str,
        required: bool,
        error: Option<String>,
        hint: Option<String>,
        readonly: bool,
    },
    Select {
        name: &'static str,
        label: String,
        options: Vec<SelectOption>,
        required: bool,
        error: Option<String>,
    },
    Check {
        name: &'static str,
        label: String,
        checked: bool,
    },
    Hidden {
        name: &'static str,
        value: String,
    },
}

pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Field errors of a failed submission, by field name, already translated.
#[derive(Default)]
pub struct FieldMessages(pub Vec<(String, String)>);

impl FieldMessages {
    pub fn from(ctx: &Ctx, errs: &[gajok_domain::FieldError]) -> Self {
        let i18n = &ctx.state.i18n;
        FieldMessages(
            errs.iter()
                .map(|e| {
                    let mut m = i18n.t(ctx.lang, &format!("fe-{}", e.code), &[]);
                    if !e.allowed.is_empty() {
                        m = format!("{m} {}", i18n.t(ctx.lang, "fe-allowed", &[("values", &e.allowed.join(", "))]));
                    }
                    (e.field.clone(), m)
                })
                .collect(),
        )
    }

    pub fn get(&self, field: &str) -> Option<String> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone())
    }
}

/// Builds form fields with the submitted values and their errors.
pub struct FieldBuilder<'a> {
    pub ctx: &'a Ctx,
    pub errors: &'a FieldMessages,
    pub fields: Vec<FormField>,
}

impl<'a> FieldBuilder<'a> {
    pub fn new(ctx: &'a Ctx, errors: &'a FieldMessages) -> Self {
        Self { ctx, errors, fields: Vec::new() }
    }

    fn label(&self, name: &str) -> String {
        self.ctx.t(&format!("field-{name}"))
    }

    pub fn heading(&mut self, key: &str) -> &mut Self {
        let label = self.ctx.t(key);
        self.fields.push(FormField::Heading { label });
        self
    }

    pub fn text(&mut self, name: &'static str, value: &Option<String>, required: bool) -> &mut Self {
        self.input(name, value, "text", required)
    }

    pub fn input(
        &mut self,
        name: &'static str,
        value: &Option<String>,
        input_type: &'static str,
        required: bool,
    ) -> &mut Self {
        let f = FormField::Text {
            name,
            label: self.label(name),
            value: value.clone().unwrap_or_default(),
            input_type,
            required,
            error: self.errors.get(name),
            hint: None,
            readonly: false,
        };
        self.fields.push(f);
        self
    }

    pub fn hint(&mut self, key: &str) -> &mut Self {
        let h = self.ctx.t(key);
        if let Some(FormField::Text { hint, .. }) = self.fields.last_mut() {
            *hint = Some(h);
        }
        self
    }

    pub fn readonly(&mut self) -> &mut Self {
        if let Some(FormField::Text { readonly, .. }) = self.fields.last_mut() {
            *readonly = true;
        }
        self
    }

    pub fn select<T: CodeList>(&mut self, name: &'static str, value: &Option<String>, required: bool) -> &mut Self {
        let lang = self.ctx.lang;
        let mut options =
            vec![SelectOption { value: String::new(), label: self.ctx.t("org-select"), selected: value.is_none() }];
        options.extend(T::ALL.iter().map(|v| SelectOption {
            value: v.code().to_string(),
            label: v.label(lang).to_string(),
            selected: value.as_deref() == Some(v.code()),
        }));
        let f = FormField::Select { name, label: self.label(name), options, required, error: self.errors.get(name) };
        self.fields.push(f);
        self
    }

    pub fn select_options(&mut self, name: &'static str, options: Vec<SelectOption>, required: bool) -> &mut Self {
        let f = FormField::Select { name, label: self.label(name), options, required, error: self.errors.get(name) };
        self.fields.push(f);
        self
    }

    pub fn check(&mut self, name: &'static str, value: Option<bool>) -> &mut Self {
        let f = FormField::Check { name, label: self.label(name), checked: value.unwrap_or(false) };
        self.fields.push(f);
        self
    }

    pub fn hidden(&mut self, name: &'static str, value: String) -> &mut Self {
        self.fields.push(FormField::Hidden { name, value });
        self
    }

    pub fn build(&mut self) -> Vec<FormField> {
        std::mem::take(&mut self.fields)
    }
}
