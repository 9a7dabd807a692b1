//! Every route, in one table. The same builder that wires a handler records the route, so
//! the authorization-matrix test sees exactly what the server serves.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware;
use axum::routing::{MethodFilter, on};

use crate::context::{self, BODY_LIMIT};
use crate::error::WebError;
use crate::state::AppState;
use crate::{api, assets, observe, pages, security};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    /// Reachable without signing in.
    pub public: bool,
}

struct Routes {
    router: Router<AppState>,
    list: Vec<RouteInfo>,
}

impl Routes {
    fn add<H, T>(mut self, method: Method, path: &'static str, public: bool, h: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        let mut mr = on(filter, h);
        if !public {
            // Refused before the body is even read: an anonymous caller learns nothing about
            // the input a route expects.
            mr = mr.route_layer(middleware::from_fn(context::require_user));
        }
        self.router = self.router.route(path, mr);
        self.list.push(RouteInfo { method, path, public });
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::GET, path, false, h)
    }
    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::POST, path, false, h)
    }
    fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::PUT, path, false, h)
    }
    fn delete<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::DELETE, path, false, h)
    }
    fn public_get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::GET, path, true, h)
    }
    fn public_post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::POST, path, true, h)
    }
}

/// The router and the list of its routes.
pub fn build_router(state: AppState) -> (Router, Vec<RouteInfo>) {
    let r = Routes { router: Router::new(), list: Vec::new() }
        // Public
        .public_get("/healthz", assets::healthz)
        .public_get("/static/app.css", assets::css)
        .public_get("/static/app.js", assets::js)
        .public_get("/login", pages::login::form)
        .public_post("/login", pages::login::submit)
        .public_post("/lang", pages::login::set_lang)
        .public_get("/api/v1/openapi.json", api::openapi::serve)
        // Public benefit simulators (모의계산) and the eligibility API: no login, nothing stored,
        // no personal data read (the API is also exempt from CSRF; see context.rs).
        .public_get("/simulator", pages::simulator::index)
        .public_get("/simulator/single-parent", pages::simulator::single_parent_form)
        .public_post("/simulator/single-parent", pages::simulator::single_parent_submit)
        .public_get("/simulator/family-capacity", pages::simulator::family_capacity_form)
        .public_post("/simulator/family-capacity", pages::simulator::family_capacity_submit)
        .public_get("/simulator/visiting-copay", pages::simulator::visiting_copay_form)
        .public_post("/simulator/visiting-copay", pages::simulator::visiting_copay_submit)
        .public_post("/api/v1/eligibility/single-parent", api::eligibility::single_parent)
        .public_post("/api/v1/eligibility/family-capacity", api::eligibility::family_capacity)
        .public_post("/api/v1/eligibility/visiting-copay", api::eligibility::visiting_copay)
        // The privacy policy of a center (개인정보 처리방침, PIPA Art. 30): public by law.
        .public_get("/privacy-policy/{code}", pages::privacy::policy::current)
        .public_get("/privacy-policy/{code}/v/{version}", pages::privacy::policy::version)
        // Pages
        .post("/logout", pages::login::logout)
        .get("/", pages::dashboard::show)
        .get("/account/password", pages::account::form)
        .post("/account/password", pages::account::submit)
        .get("/orgs", pages::orgs::list)
        .get("/orgs/export", pages::orgs::export)
        .get("/orgs/new", pages::orgs::new_form)
        .post("/orgs", pages::orgs::create)
        .get("/orgs/{id}", pages::orgs::detail)
        .get("/orgs/{id}/edit", pages::orgs::edit_form)
        .post("/orgs/{id}", pages::orgs::update)
        .get("/admin/users", pages::users::list)
        .get("/admin/users/new", pages::users::new_form)
        .post("/admin/users", pages::users::create)
        .get("/admin/users/{id}", pages::users::detail)
        .post("/admin/users/{id}", pages::users::update)
        .post("/admin/users/{id}/password", pages::users::reset_password)
        .post("/admin/users/{id}/unlock", pages::users::unlock)
        .post("/admin/users/{id}/roles", pages::users::add_role)
        .post("/admin/users/{id}/roles/{rid}/delete", pages::users::remove_role)
        .post("/admin/users/{id}/tokens", pages::users::create_token)
        .get("/admin/tokens", pages::users::tokens)
        .post("/admin/tokens/{id}/revoke", pages::users::revoke_token)
        .get("/audit/events", pages::logs::events)
        .get("/audit/access", pages::logs::access)
        .get("/audit/verify", pages::logs::verify)
        // Members, programs, attendance and monthly reports (issue 3)
        .get("/members", pages::members::list)
        .get("/members/export", pages::members::export)
        .get("/members/new", pages::members::new_form)
        .post("/members", pages::members::create)
        .get("/members/{id}", pages::members::detail)
        .get("/members/{id}/edit", pages::members::edit_form)
        .post("/members/{id}", pages::members::update)
        .post("/members/{id}/consents/{cid}/withdraw", pages::members::withdraw_consent)
        .get("/programs", pages::programs::list)
        .get("/programs/new", pages::programs::new_form)
        .post("/programs", pages::programs::create)
        .get("/programs/{id}", pages::programs::detail)
        .post("/programs/{id}/sessions", pages::programs::create_sessions)
        .post("/programs/{id}/enrol", pages::programs::enrol)
        .post("/programs/{id}/surveys", pages::programs::add_survey)
        .get("/sessions/{id}", pages::programs::sheet)
        .post("/sessions/{id}/attendance", pages::programs::save_attendance)
        .post("/sessions/{id}/head-counts", pages::programs::save_head_counts)
        .post("/sessions/{id}/delete", pages::programs::delete_session)
        .post("/simulations", pages::simulator::attach)
        .get("/plans/monthly", pages::plans::show)
        .post("/plans/monthly", pages::plans::submit)
        .get("/reports/monthly", pages::reports::show)
        .get("/reports/monthly.csv", pages::reports::csv)
        .get("/reports/monthly.xlsx", pages::reports::xlsx)
        .post("/reports/monthly/{center}/{month}/submit", pages::report_workflow::handlers::center_submit)
        .post("/reports/monthly/{center}/{month}/review", pages::report_workflow::handlers::center_review)
        .post("/reports/monthly/{center}/{month}/reopen", pages::report_workflow::handlers::center_reopen)
        .get("/reports/rollup", pages::reports::rollup)
        // 공동육아나눔터 and 가족품앗이 (issue 5): spaces, desk, library, groups, money
        .get("/nanumteo", pages::nanumteo::spaces::index)
        .get("/nanumteo/spaces/{id}", pages::nanumteo::spaces::show)
        .post("/nanumteo/spaces/{id}", pages::nanumteo::spaces::save)
        .get("/nanumteo/spaces/{id}/desk", pages::nanumteo::desk::show)
        .post("/nanumteo/spaces/{id}/visits", pages::nanumteo::desk::check_in)
        .post("/nanumteo/visits/{id}/checkout", pages::nanumteo::desk::check_out)
        .post("/nanumteo/members/{id}/health", pages::nanumteo::desk::flag)
        .post("/nanumteo/flags/{id}/clear", pages::nanumteo::desk::clear_flag)
        .get("/nanumteo/spaces/{id}/library", pages::nanumteo::library::show)
        .post("/nanumteo/spaces/{id}/items", pages::nanumteo::library::add_item)
        .post("/nanumteo/spaces/{id}/loans", pages::nanumteo::library::lend)
        .post("/nanumteo/loans/{id}/return", pages::nanumteo::library::give_back)
        .post("/nanumteo/loans/{id}/renew", pages::nanumteo::library::renew)
        .post("/nanumteo/spaces/{id}/disinfections", pages::nanumteo::library::disinfect)
        .get("/nanumteo/spaces/{id}/safety", pages::nanumteo::safety::show)
        .get("/nanumteo/spaces/{id}/checklists/new", pages::nanumteo::safety::new_checklist)
        .post("/nanumteo/spaces/{id}/checklists", pages::nanumteo::safety::save_checklist)
        .get("/nanumteo/checklists/{id}", pages::nanumteo::safety::show_checklist)
        .post("/nanumteo/checklists/{id}/confirm", pages::nanumteo::safety::confirm_checklist)
        .post("/nanumteo/checklists/{id}/follow-up", pages::nanumteo::safety::follow_up)
        .get("/nanumteo/spaces/{id}/safety-report", pages::nanumteo::safety::report)
        .post("/nanumteo/spaces/{id}/readings", pages::nanumteo::safety::add_reading)
        .post("/nanumteo/spaces/{id}/inspections", pages::nanumteo::safety::add_inspection)
        .post("/nanumteo/spaces/{id}/cctv", pages::nanumteo::safety::add_cctv)
        .post("/nanumteo/cctv/{id}/decide", pages::nanumteo::safety::decide_cctv)
        .post("/nanumteo/cctv/{id}/deletion", pages::nanumteo::safety::confirm_cctv_deletion)
        .post("/nanumteo/spaces/{id}/regular", pages::nanumteo::safety::add_regular)
        .get("/nanumteo/spaces/{id}/members", pages::nanumteo::membership::members)
        .get("/nanumteo/spaces/{id}/apply", pages::nanumteo::membership::apply_form)
        .post("/nanumteo/spaces/{id}/applications", pages::nanumteo::membership::apply)
        .get("/pumasi", pages::nanumteo::pumasi::index)
        .post("/pumasi/groups", pages::nanumteo::pumasi::create)
        .get("/pumasi/groups/{id}", pages::nanumteo::pumasi::show)
        .post("/pumasi/groups/{id}/plans", pages::nanumteo::pumasi::submit_plan)
        .post("/pumasi/plans/{id}/sign", pages::nanumteo::pumasi::sign_plan)
        .post("/pumasi/groups/{id}/activities", pages::nanumteo::pumasi::log_activity)
        .post("/pumasi/groups/{id}/expenses", pages::nanumteo::pumasi::add_expense)
        .post("/pumasi/groups/{id}/families", pages::nanumteo::groups::join)
        .post("/pumasi/groups/{id}/families/{family}/orientation", pages::nanumteo::groups::orientation)
        .get("/pumasi/status", pages::nanumteo::groups::status)
        .post("/pumasi/currency", pages::nanumteo::groups::currency)
        .get("/nanumteo/obligations", pages::nanumteo::obligations::show)
        .post("/nanumteo/events", pages::nanumteo::obligations::record)
        .get("/nanumteo/report", pages::nanumteo::report::show)
        .get("/nanumteo/report.xlsx", pages::nanumteo::report::xlsx)
        .post("/nanumteo/report/{center}/{month}/submit", pages::report_workflow::handlers::nanumteo_submit)
        .post("/nanumteo/report/{center}/{month}/review", pages::report_workflow::handlers::nanumteo_review)
        .post("/nanumteo/report/{center}/{month}/reopen", pages::report_workflow::handlers::nanumteo_reopen)
        // Privacy (issue 6): data subjects' requests, identifiers, sensitive records
        .get("/privacy/requests", pages::privacy::requests::list)
        .get("/privacy/requests/{id}", pages::privacy::requests::detail)
        .post("/privacy/requests/{id}/decide", pages::privacy::requests::decide)
        .get("/privacy/requests/{id}/export", pages::privacy::requests::export)
        .post("/privacy/grants", pages::privacy::requests::grant)
        .post("/privacy/officer", pages::privacy::requests::officer)
        .get("/members/{id}/privacy", pages::privacy::member::show)
        .post("/members/{id}/privacy-requests", pages::privacy::member::record)
        .post("/members/{id}/foreign-id", pages::privacy::member::set_foreign_id)
        .get("/members/{id}/foreign-id", pages::privacy::member::reveal_foreign_id)
        .post("/members/foreign-id/lookup", pages::privacy::member::lookup)
        .get("/members/{id}/counseling", pages::privacy::member::counseling)
        .post("/members/{id}/counseling", pages::privacy::member::add_note)
        // The privacy officer's pages (issue 6): 파기 대장, 분리 보관, monthly access-log review
        .get("/privacy/destructions", pages::privacy_officer::destructions)
        .get("/privacy/separated", pages::privacy_officer::separated)
        .get("/privacy/separated/{id}", pages::privacy_officer::separated_record)
        .get("/privacy/access-review", pages::privacy_officer::access_review)
        .post("/privacy/access-review/sign", pages::privacy_officer::sign_review)
        // JSON API
        .get("/api/v1/me", api::me::show)
        // A center's daily work and its reports (issue 3)
        .get("/api/v1/members", api::work::members)
        .post("/api/v1/members", api::work::register)
        .get("/api/v1/members/{id}", api::work::member)
        .get("/api/v1/programs", api::work::programs)
        .get("/api/v1/programs/{id}", api::work::program)
        .get("/api/v1/sessions/{id}/attendance", api::work::attendance)
        .put("/api/v1/sessions/{id}/attendance", api::work::record_attendance)
        .get("/api/v1/reports/monthly/{center}/{month}", api::work::report)
        .post("/api/v1/reports/monthly/{center}/{month}/submit", api::work::submit)
        .post("/api/v1/reports/monthly/{center}/{month}/review", api::work::review)
        .get("/api/v1/reports/rollup/{unit}/{month}", api::work::rollup)
        .get("/api/v1/orgs", api::orgs::list)
        .post("/api/v1/orgs", api::orgs::create)
        .get("/api/v1/orgs/{id}", api::orgs::show)
        .put("/api/v1/orgs/{id}", api::orgs::update)
        .get("/api/v1/users", api::users::list)
        .post("/api/v1/users", api::users::create)
        .get("/api/v1/users/{id}", api::users::show)
        .post("/api/v1/users/{id}/roles", api::users::add_role)
        .delete("/api/v1/users/{id}/roles/{rid}", api::users::remove_role)
        .post("/api/v1/tokens", api::users::create_token)
        .delete("/api/v1/tokens/{id}", api::users::revoke_token)
        .get("/api/v1/audit/events", api::logs::events)
        .get("/api/v1/audit/access", api::logs::access)
        .get("/api/v1/audit/verify", api::logs::verify);

    let Routes { router, list } = r;
    let router = router
        .fallback(|| async { WebError::RouteNotFound })
        .method_not_allowed_fallback(|| async { WebError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(state.clone(), context::middleware))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(security::headers))
        .layer(middleware::from_fn(observe::requests))
        .with_state(state);
    (router, list)
}
