//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document. Enum values come from the code
//! lists themselves, and a test checks that every API route is documented and every
//! documented path is served.

use axum::response::Response;
use gajok_domain::code_list::CodeList;
use gajok_domain::org::*;
use gajok_domain::role::Role;
use serde_json::{Map, Value, json};

use crate::api::ok;

fn enum_of<T: CodeList>() -> Value {
    json!({ "type": "string", "enum": T::codes() })
}

fn nullable_enum<T: CodeList>() -> Value {
    json!({ "type": ["string", "null"], "enum": T::codes().into_iter().map(Value::from).chain([Value::Null]).collect::<Vec<_>>() })
}

fn str_n() -> Value {
    json!({ "type": ["string", "null"] })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn op(
    summary: &str,
    tag: &str,
    params: Vec<Value>,
    body: Option<&str>,
    status: &str,
    response: Option<Value>,
) -> Value {
    let mut o = Map::new();
    o.insert("summary".into(), summary.into());
    o.insert("tags".into(), json!([tag]));
    if !params.is_empty() {
        o.insert("parameters".into(), Value::Array(params));
    }
    if let Some(b) = body {
        o.insert(
            "requestBody".into(),
            json!({ "required": true, "content": { "application/json": { "schema": reference(b) } } }),
        );
    }
    let mut responses = Map::new();
    let ok = match response {
        Some(schema) => {
            json!({ "description": "OK", "content": { "application/json": { "schema": schema } } })
        }
        None => json!({ "description": "No content" }),
    };
    responses.insert(status.into(), ok);
    for code in ["400", "401", "403", "404", "409", "413", "415", "422"] {
        responses.insert(code.into(), json!({ "$ref": "#/components/responses/Error" }));
    }
    o.insert("responses".into(), Value::Object(responses));
    Value::Object(o)
}

fn path_id(name: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": { "type": "integer" } })
}

fn month_param() -> Value {
    json!({ "name": "month", "in": "path", "required": true, "schema": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$" } })
}

fn query(name: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "schema": schema })
}

fn log_params() -> Vec<Value> {
    let date = json!({ "type": "string", "format": "date" });
    vec![
        query("from", date.clone()),
        query("to", date),
        query("actor", json!({ "type": "string" })),
        query("action", json!({ "type": "string" })),
        query("entity_type", json!({ "type": "string" })),
        query("entity_id", json!({ "type": "string" })),
        query("page", json!({ "type": "integer", "minimum": 1 })),
    ]
}

fn page_of(item: &str) -> Value {
    json!({
        "type": "object",
        "properties": { "items": { "type": "array", "items": reference(item) }, "total": { "type": "integer" }, "page": { "type": "integer" }, "per_page": { "type": "integer" } },
        "required": ["items", "total", "page", "per_page"]
    })
}

/// The calculators' JSON Schemas (docs/rules), embedded as component schemas so the API
/// document and the CLI documentation cannot drift apart.
const RULES_SCHEMAS: &[(&str, &str)] = &[
    ("SingleParentInput", include_str!("../../../../docs/rules/single-parent.input.schema.json")),
    ("SingleParentOutput", include_str!("../../../../docs/rules/single-parent.output.schema.json")),
    ("FamilyCapacityInput", include_str!("../../../../docs/rules/family-capacity.input.schema.json")),
    ("FamilyCapacityOutput", include_str!("../../../../docs/rules/family-capacity.output.schema.json")),
    ("VisitingCopayInput", include_str!("../../../../docs/rules/visiting-copay.input.schema.json")),
    ("VisitingCopayOutput", include_str!("../../../../docs/rules/visiting-copay.output.schema.json")),
];

/// A public calculator: no security, JSON in and out; 400 malformed JSON, 415 wrong content
/// type, 422 a missing field or a refused value (the field named, with the allowed values).
fn eligibility_op(summary: &str, input: &str, output: &str) -> Value {
    let error = json!({ "$ref": "#/components/responses/Error" });
    json!({
        "summary": summary,
        "tags": ["eligibility"],
        "security": [],
        "requestBody": { "required": true, "content": { "application/json": { "schema": reference(input) } } },
        "responses": {
            "200": { "description": "The result with its explanation trace", "content": { "application/json": { "schema": reference(output) } } },
            "400": error, "413": error, "415": error, "422": error
        }
    })
}

pub fn document() -> Value {
    let int = json!({ "type": "integer" });
    let paths = json!({
        "/api/v1/me": { "get": op("The signed-in account, its roles and the CSRF token", "account", vec![], None, "200", Some(reference("Me"))) },
        "/api/v1/orgs": {
            "get": op("Org units in the caller's scope", "orgs", vec![
                query("q", json!({ "type": "string" })),
                query("kind", enum_of::<OrgKind>()),
                query("parent_id", int.clone()),
                query("visitation_service", json!({ "type": "string", "enum": ["true", "false"] })),
                query("page", json!({ "type": "integer", "minimum": 1 })),
                query("per_page", json!({ "type": "integer", "minimum": 1, "maximum": 200 })),
            ], None, "200", Some(page_of("OrgUnit"))),
            "post": op("Create an org unit under parent_id", "orgs", vec![], Some("OrgInput"), "201", Some(reference("OrgDetail"))),
        },
        "/api/v1/orgs/{id}": {
            "get": op("One org unit with registry fields, ancestors and children", "orgs", vec![path_id("id")], None, "200", Some(reference("OrgDetail"))),
            "put": op("Replace an org unit's fields (send the version you read)", "orgs", vec![path_id("id")], Some("OrgInput"), "200", Some(reference("OrgDetail"))),
        },
        "/api/v1/users": {
            "get": op("Accounts in scope, masked", "users", vec![query("q", json!({ "type": "string" })), query("page", json!({ "type": "integer", "minimum": 1 }))], None, "200", Some(page_of("UserSummary"))),
            "post": op("Create an account (initial password must be changed at first sign-in)", "users", vec![], Some("UserInput"), "201", Some(reference("User"))),
        },
        "/api/v1/users/{id}": { "get": op("One account (access-logged)", "users", vec![path_id("id")], None, "200", Some(json!({ "type": "object" }))) },
        "/api/v1/users/{id}/roles": { "post": op("Assign a role at an org unit", "users", vec![path_id("id")], Some("RoleInput"), "201", Some(json!({ "type": "object", "properties": { "id": int } }))) },
        "/api/v1/users/{id}/roles/{rid}": { "delete": op("Revoke a role assignment", "users", vec![path_id("id"), path_id("rid")], None, "204", None) },
        "/api/v1/tokens": { "post": op("Create an API token (shown once)", "tokens", vec![], Some("TokenInput"), "201", Some(json!({ "type": "object", "properties": { "id": int, "token": { "type": "string" } } }))) },
        "/api/v1/tokens/{id}": { "delete": op("Revoke an API token", "tokens", vec![path_id("id")], None, "204", None) },
        "/api/v1/audit/events": { "get": op("Audit events in scope", "audit", log_params(), None, "200", Some(page_of("AuditEvent"))) },
        "/api/v1/audit/access": { "get": op("Personal-data access log in scope", "audit", log_params(), None, "200", Some(page_of("AccessEntry"))) },
        "/api/v1/members": {
            "get": op("Members of the caller's centers, masked; q = two syllables of a name, initials or phone digits", "work", vec![query("q", json!({ "type": "string" })), query("family_id", int.clone()), query("page", json!({ "type": "integer", "minimum": 1 }))], None, "200", Some(page_of("MemberSummary"))),
            "post": op("Register a member with the consent given (409 with candidates on a possible duplicate)", "work", vec![], Some("MemberInput"), "201", Some(json!({ "type": "object" }))),
        },
        "/api/v1/members/{id}": { "get": op("One member's record (access-logged)", "work", vec![path_id("id")], None, "200", Some(json!({ "type": "object" }))) },
        "/api/v1/programs": { "get": op("Programs of a year with their figures", "work", vec![query("year", int.clone()), query("center", int.clone())], None, "200", Some(json!({ "type": "object" }))) },
        "/api/v1/programs/{id}": { "get": op("A program with sessions, participants, figures and survey averages", "work", vec![path_id("id")], None, "200", Some(json!({ "type": "object" }))) },
        "/api/v1/sessions/{id}/attendance": {
            "get": op("The attendance sheet of a session (access-logged)", "work", vec![path_id("id")], None, "200", Some(json!({ "type": "object" }))),
            "put": op("Record the attendance of a whole session at once", "work", vec![path_id("id")], Some("AttendanceInput"), "200", Some(json!({ "type": "object", "properties": { "changed": int } }))),
        },
        "/api/v1/reports/monthly/{center}/{month}": { "get": op("A center's monthly report, generated from the records", "reports", vec![path_id("center"), month_param()], None, "200", Some(json!({ "type": "object" }))) },
        "/api/v1/reports/monthly/{center}/{month}/submit": { "post": op("Submit the monthly report (center manager); locks the month", "reports", vec![path_id("center"), month_param()], None, "200", Some(json!({ "type": "object" }))) },
        "/api/v1/reports/monthly/{center}/{month}/review": { "post": op("Approve or return at the caller's step (시·군·구 → 시·도 → 진흥원)", "reports", vec![path_id("center"), month_param()], Some("ReviewInput"), "200", Some(json!({ "type": "object" }))) },
        "/api/v1/reports/rollup/{unit}/{month}": { "get": op("Roll-up of the centers below a unit, by center and by area", "reports", vec![path_id("unit"), month_param()], None, "200", Some(json!({ "type": "object" }))) },
        "/api/v1/audit/verify": { "get": op("Verify the access-log hash chain", "audit", vec![], None, "200", Some(json!({ "type": "object", "properties": { "ok": { "type": "boolean" }, "entries": int, "first_break": { "type": ["object", "null"] } } }))) },
        "/api/v1/eligibility/single-parent": { "post": eligibility_op("한부모가족 eligibility, benefits and 12-month payment calendar (public, stores nothing)", "SingleParentInput", "SingleParentOutput") },
        "/api/v1/eligibility/family-capacity": { "post": eligibility_op("가족역량강화지원 eligibility (public, stores nothing)", "FamilyCapacityInput", "FamilyCapacityOutput") },
        "/api/v1/eligibility/visiting-copay": { "post": eligibility_op("다문화 방문교육 co-payment type (public, stores nothing)", "VisitingCopayInput", "VisitingCopayOutput") },
        "/api/v1/openapi.json": { "get": { "summary": "This document", "tags": ["meta"], "security": [], "responses": { "200": { "description": "OK", "content": { "application/json": { "schema": { "type": "object" } } } } } } },
    });
    let org_unit = json!({
        "type": "object",
        "properties": {
            "id": int, "parent_id": { "type": ["integer", "null"] }, "kind": enum_of::<OrgKind>(), "code": { "type": "string" },
            "name": { "type": "string" }, "path": { "type": "string" }, "address": str_n(), "phone": str_n(),
            "active": { "type": "boolean" }, "version": int, "created_at": { "type": "string" }, "updated_at": { "type": "string" }
        },
        "required": ["id", "kind", "code", "name", "path", "active", "version"]
    });
    let center = json!({
        "type": "object",
        "properties": {
            "center_type": enum_of::<CenterType>(), "category": enum_of::<CenterCategory>(),
            "parent_provincial_center": nullable_enum::<ParentProvincialCenter>(), "center_form": enum_of::<CenterForm>(),
            "operation_form": enum_of::<OperationForm>(), "funding_form": enum_of::<FundingForm>(), "head_name": str_n(),
            "head_employment": nullable_enum::<Employment>(), "corporation_match": nullable_enum::<CorporationMatch>(),
            "trustee_name": str_n(), "trustee_type": nullable_enum::<TrusteeType>(), "entrustment_start": str_n(), "entrustment_end": str_n(),
            "space_ownership": nullable_enum::<SpaceOwnership>(), "opened_on": str_n(), "license_no": str_n(),
            "staff_count": { "type": ["integer", "null"] }, "national_funding": { "type": "boolean" }, "liability_insurance": { "type": "boolean" },
            "integrated_service": { "type": "boolean" }, "visitation_service": { "type": "boolean" }
        }
    });
    let text_or_int = json!({ "type": ["string", "integer", "null"] });
    let flag = json!({ "type": ["boolean", "string", "null"] });
    let mut org_input = Map::new();
    for f in [
        "kind",
        "code",
        "name",
        "address",
        "phone",
        "head_name",
        "trustee_name",
        "entrustment_start",
        "entrustment_end",
        "opened_on",
        "license_no",
        "note",
    ] {
        org_input.insert(f.into(), str_n());
    }
    org_input.insert("kind".into(), enum_of::<OrgKind>());
    for (f, v) in [
        ("center_type", nullable_enum::<CenterType>()),
        ("category", nullable_enum::<CenterCategory>()),
        ("parent_provincial_center", nullable_enum::<ParentProvincialCenter>()),
        ("center_form", nullable_enum::<CenterForm>()),
        ("operation_form", nullable_enum::<OperationForm>()),
        ("funding_form", nullable_enum::<FundingForm>()),
        ("head_employment", nullable_enum::<Employment>()),
        ("corporation_match", nullable_enum::<CorporationMatch>()),
        ("trustee_type", nullable_enum::<TrusteeType>()),
        ("space_ownership", nullable_enum::<SpaceOwnership>()),
        ("site_kind", nullable_enum::<SiteKind>()),
    ] {
        org_input.insert(f.into(), v);
    }
    for f in ["parent_id", "version", "staff_count"] {
        org_input.insert(f.into(), text_or_int.clone());
    }
    for f in ["active", "national_funding", "liability_insurance", "integrated_service", "visitation_service"] {
        org_input.insert(f.into(), flag.clone());
    }
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "gajok API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "JSON API of gajok. Authenticate with the session cookie (writes also need the X-CSRF-Token header, from GET /api/v1/me) or with Authorization: Bearer <token>. Errors have the shape {\"error\": {\"code\", \"message\", \"fields\": [{\"field\", \"code\", \"message\", \"allowed\"}]}}; codes are stable. Bodies larger than 1 MiB are refused with 413."
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }, { "session": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer" },
                "session": { "type": "apiKey", "in": "cookie", "name": "gajok_session" }
            },
            "responses": { "Error": { "description": "Error", "content": { "application/json": { "schema": reference("Error") } } } },
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": { "error": { "type": "object", "properties": {
                        "code": { "type": "string" }, "message": { "type": "string" },
                        "fields": { "type": "array", "items": { "type": "object", "properties": {
                            "field": { "type": "string" }, "label": { "type": "string" }, "code": { "type": "string" }, "message": { "type": "string" }, "allowed": { "type": "array", "items": { "type": "string" } }
                        } } }
                    }, "required": ["code", "message", "fields"] } },
                    "required": ["error"]
                },
                "Me": { "type": "object", "properties": { "id": int, "username": { "type": "string" }, "display_name": { "type": "string" }, "csrf_token": { "type": "string" }, "roles": { "type": "array", "items": { "type": "object", "properties": { "id": int, "role": enum_of::<Role>(), "org_unit_id": int, "org_name": { "type": "string" } } } } } },
                "OrgUnit": org_unit,
                "CenterDetails": center,
                "SiteDetails": { "type": "object", "properties": { "site_kind": enum_of::<SiteKind>(), "note": str_n() } },
                "OrgDetail": { "type": "object", "properties": {
                    "unit": reference("OrgUnit"), "center": { "oneOf": [reference("CenterDetails"), { "type": "null" }] },
                    "site": { "oneOf": [reference("SiteDetails"), { "type": "null" }] },
                    "ancestors": { "type": "array", "items": reference("OrgUnit") }, "children": { "type": "array", "items": reference("OrgUnit") },
                    "history": { "type": "array", "items": reference("AuditEvent") }, "can_edit": { "type": "boolean" }, "can_add_child": { "type": "boolean" }
                } },
                "OrgInput": { "type": "object", "additionalProperties": false, "properties": Value::Object(org_input) },
                "UserInput": { "type": "object", "additionalProperties": false, "properties": {
                    "username": { "type": "string" }, "display_name": { "type": "string" }, "phone": str_n(),
                    "home_org_id": text_or_int, "initial_password": { "type": "string" }, "active": flag
                } },
                "RoleInput": { "type": "object", "additionalProperties": false, "properties": { "role": enum_of::<Role>(), "org_unit_id": { "type": ["string", "integer"] } }, "required": ["role", "org_unit_id"] },
                "TokenInput": { "type": "object", "additionalProperties": false, "properties": { "user_id": int, "name": { "type": "string" } }, "required": ["user_id", "name"] },
                "User": { "type": "object", "properties": { "id": int, "username": { "type": "string" }, "display_name": { "type": "string" }, "home_org_id": int, "active": { "type": "boolean" }, "must_change_password": { "type": "boolean" } } },
                "UserSummary": { "type": "object", "properties": { "id": int, "username": { "type": "string" }, "display_name_masked": { "type": "string" }, "phone_masked": str_n(), "home_org_id": int, "active": { "type": "boolean" }, "locked": { "type": "boolean" } } },
                "MemberSummary": { "type": "object", "properties": { "id": int, "center_id": int, "name_masked": { "type": "string" }, "birth_year": { "type": "string" }, "sex": enum_of::<gajok_domain::people::Sex>(), "phone_masked": str_n(), "family_id": { "type": ["integer", "null"] }, "status": enum_of::<gajok_domain::people::MemberStatus>(), "flags": { "type": "array", "items": { "type": "string" } } } },
                "MemberInput": { "type": "object", "additionalProperties": false, "properties": {
                    "center_id": text_or_int, "name": { "type": "string" }, "birth_date": { "type": "string", "format": "date" }, "sex": enum_of::<gajok_domain::people::Sex>(),
                    "phone": str_n(), "address": str_n(), "nationality": str_n(), "single_parent": flag, "grandparent": flag, "multicultural": flag, "dual_income": flag, "low_income": flag,
                    "family_id": text_or_int, "new_family": flag, "family_relation": nullable_enum::<gajok_domain::people::Relation>(), "guardian_id": text_or_int,
                    "consent_collection": { "type": "string", "enum": ["agree", "disagree"] }, "consent_optional": { "type": ["string", "null"], "enum": ["agree", "disagree", null] },
                    "consent_third_party": { "type": ["string", "null"], "enum": ["agree", "disagree", null] }, "tp_mogef": flag, "tp_kihf": flag, "tp_local_government": flag, "tp_other_centers": flag,
                    "form_version": str_n(), "signed_on": str_n(), "guardian_name": str_n(), "guardian_relation": str_n(), "guardian_phone": str_n(), "confirm_new": flag, "version": text_or_int
                }, "required": ["name", "birth_date", "sex", "consent_collection"] },
                "AttendanceInput": { "type": "object", "additionalProperties": false, "properties": { "entries": { "type": "array", "items": { "type": "object", "additionalProperties": false, "properties": { "member_id": int, "status": { "type": ["string", "null"], "enum": ["present", "absent", "excused", null] } }, "required": ["member_id", "status"] } } }, "required": ["entries"] },
                "ReviewInput": { "type": "object", "additionalProperties": false, "properties": { "decision": { "type": "string", "enum": ["approve", "return"] }, "comment": str_n() }, "required": ["decision"] },
                "AuditEvent": { "type": "object", "properties": { "id": int, "occurred_at": { "type": "string" }, "actor_name": { "type": "string" }, "action": { "type": "string" }, "entity_type": { "type": "string" }, "entity_id": { "type": "string" }, "summary": { "type": "string" }, "before": {}, "after": {} } },
                "AccessEntry": { "type": "object", "properties": { "seq": int, "occurred_at": { "type": "string" }, "username": { "type": "string" }, "client_addr": str_n(), "action": { "type": "string" }, "subject_type": { "type": "string" }, "subject_id": { "type": "string" }, "detail": { "type": "string" }, "hash": { "type": "string" }, "prev_hash": { "type": "string" } } }
            }
        }
    });
    if let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        for (name, text) in RULES_SCHEMAS {
            // The files are checked by the rules crate's schema tests; an unreadable one
            // would show as an empty schema, which the simulator HTTP test refuses.
            let schema = serde_json::from_str(text).unwrap_or_else(|_| json!({}));
            schemas.insert((*name).to_string(), schema);
        }
    }
    doc
}

pub async fn document_handler() -> Response {
    ok(document())
}

pub use document_handler as serve;
