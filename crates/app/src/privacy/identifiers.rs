//! A kept unique identifier on the member: the foreigner registration number (외국인등록번호),
//! for programs that need it. Stored only encrypted (see [`crate::privacy::crypto`]) with a
//! keyed hash for exact lookup and a masked form for lists and exports. The full value is
//! shown only to an account with the sensitive-records grant, and every showing is
//! access-logged. Without configured keys the field is refused: never stored in plain text.

use gajok_domain::field::FieldError;
use gajok_store::access_log::NewAccess;
use gajok_store::audit::{self, NewEvent};
use gajok_store::orgs;
use gajok_store::privacy::identifiers::{self as store, Sealed};

use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::privacy::crypto::{self, Keyring};
use crate::{App, authz};

const FIELD: &str = "foreign_id";

fn context(member_id: i64) -> String {
    format!("members.foreign_id/{member_id}")
}

/// `YYMMDD-GNNNNNN` with G 5–8 (foreign residents); hyphen and spaces optional. Returns the
/// 13 digits.
pub fn normalise(raw: &str) -> Result<String, FieldError> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if digits.is_empty() {
        return Err(FieldError::new(FIELD, "required"));
    }
    if digits.len() != 13 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::new(FIELD, "invalid_foreign_id"));
    }
    let b = digits.as_bytes();
    let month = (b[2] - b'0') * 10 + (b[3] - b'0');
    let day = (b[4] - b'0') * 10 + (b[5] - b'0');
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(b'5'..=b'8').contains(&b[6]) {
        return Err(FieldError::new(FIELD, "invalid_foreign_id"));
    }
    Ok(digits)
}

/// `900101-5******`: birth date and the sex/century digit, which the record holds anyway.
pub fn mask(digits: &str) -> String {
    format!("{}-{}******", &digits[..6], &digits[6..7])
}

/// Seals a normalised identifier for a member's row: ciphertext, key id, lookup hash, mask.
pub fn seal(keys: &Keyring, member_id: i64, digits: &str) -> AppResult<Sealed> {
    let sealed = keys.seal(&context(member_id), digits).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Sealed {
        member_id,
        ciphertext: sealed.ciphertext,
        key_id: sealed.key_id,
        hash: keys.lookup_hash(digits),
        masked: mask(digits),
    })
}

/// Opens a stored identifier (13 digits).
pub fn open(keys: &Keyring, s: &Sealed) -> Result<String, crypto::KeyError> {
    keys.open(&context(s.member_id), &crypto::Sealed { key_id: s.key_id.clone(), ciphertext: s.ciphertext.clone() })
}

impl App {
    fn keys(&self) -> AppResult<&Keyring> {
        self.config.keys.as_deref().ok_or_else(|| AppError::one_field(FIELD, "encryption_not_configured"))
    }

    /// Stores (or replaces) a member's foreigner registration number, encrypted.
    pub async fn set_foreign_id(&self, p: &Principal, member_id: i64, raw: &str) -> AppResult<String> {
        let m = self.member_in_scope(p, member_id).await?;
        let keys = self.keys()?;
        let digits = normalise(raw).map_err(|e| AppError::Validation(gajok_domain::FieldErrors(vec![e])))?;
        let sealed = seal(keys, member_id, &digits)?;
        let masked = sealed.masked.clone();
        let center = orgs::get(self.store.reader(), m.center_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        self.ensure_not_frozen(&mut tx, member_id, FIELD).await?;
        store::put(&mut tx, &sealed).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "update",
                entity_type: "member",
                entity_id: member_id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path,
                summary: format!("외국인등록번호 등록(암호화) #{member_id}"),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(masked)
    }

    /// The masked identifier of a member the caller works with.
    pub async fn foreign_id_masked(&self, p: &Principal, member_id: i64) -> AppResult<Option<String>> {
        self.member_in_scope(p, member_id).await?;
        Ok(store::masked(&self.store, member_id).await?)
    }

    /// The full identifier: needs the sensitive-records grant; access-logged.
    pub async fn reveal_foreign_id(&self, p: &Principal, member_id: i64) -> AppResult<String> {
        let m = self.member_in_scope(p, member_id).await?;
        authz::require(self.can_read_sensitive(p, m.center_id).await?)?;
        let keys = self.keys()?;
        let s = store::get(self.store.reader(), member_id).await?.ok_or(AppError::NotFound)?;
        // A value whose key is no longer configured (or a demo key from an earlier run) is a
        // configuration problem to name, not a server error.
        let plain = open(keys, &s).map_err(|e| {
            tracing::warn!(member_id, error = %e, "stored identifier cannot be decrypted");
            AppError::Conflict { code: "identifier_unreadable", field: FIELD }
        })?;
        let center = orgs::get(self.store.reader(), m.center_id).await?.ok_or(AppError::NotFound)?;
        self.log_access(
            p,
            NewAccess {
                action: "view",
                subject_type: "member",
                subject_id: member_id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path,
                detail: "foreign registration number, full value".into(),
            },
        )
        .await?;
        Ok(format!("{}-{}", &plain[..6], &plain[6..]))
    }

    /// Members of the caller's centers with exactly this identifier (the keyed hash).
    pub async fn find_by_foreign_id(&self, p: &Principal, raw: &str) -> AppResult<Vec<i64>> {
        let centers = authz::member_centers(p);
        authz::require(!centers.is_empty())?;
        let keys = self.keys()?;
        let digits = normalise(raw).map_err(|e| AppError::Validation(gajok_domain::FieldErrors(vec![e])))?;
        let found = store::find_by_hash(&self.store, &centers, &keys.lookup_hash(&digits)).await?;
        let center = orgs::get(self.store.reader(), centers[0]).await?.ok_or(AppError::NotFound)?;
        self.log_access(
            p,
            NewAccess {
                action: "search",
                subject_type: "member",
                subject_id: found.first().map(|i| i.to_string()).unwrap_or_else(|| "-".into()),
                org_unit_id: Some(center.id),
                org_path: center.path,
                detail: format!("lookup by foreign registration number: {} found", found.len()),
            },
        )
        .await?;
        Ok(found)
    }

    /// Re-encrypts every stored identifier under the newest configured key (`gajok keys
    /// rotate`). Each batch is one transaction, so an interrupted run is resumed by running
    /// it again. Returns how many values were re-encrypted.
    pub async fn rotate_identifier_keys(&self) -> AppResult<u64> {
        let keys = self.keys()?;
        let current = keys.current_id().to_string();
        let mut done = 0u64;
        loop {
            let mut tx = self.store.begin().await?;
            let batch = store::not_under_key(&mut tx, &current, 200).await?;
            if batch.is_empty() {
                break;
            }
            for s in &batch {
                let plain = open(keys, s).map_err(|e| AppError::Internal(format!("member {}: {e}", s.member_id)))?;
                store::put(&mut tx, &seal(keys, s.member_id, &plain)?).await?;
                done += 1;
            }
            tx.commit().await?;
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_registration_numbers_are_checked_and_masked() {
        assert_eq!(normalise("900101-5123456").unwrap(), "9001015123456");
        assert_eq!(normalise(" 900101 6123456 ").unwrap(), "9001016123456");
        assert_eq!(mask("9001015123456"), "900101-5******");
        for bad in ["900101-1123456", "901301-5123456", "900100-5123456", "90010-5123456", "abc"] {
            assert_eq!(normalise(bad).unwrap_err().code, "invalid_foreign_id", "{bad}");
        }
        assert_eq!(normalise(" ").unwrap_err().code, "required");
    }
}
