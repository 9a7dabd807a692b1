//! Encryption of kept unique identifiers (개인정보의 안전성 확보조치 기준 제7조): AES-256-GCM
//! with a random 96-bit nonce and the record's identity as associated data, a key id stored
//! with each ciphertext so keys can rotate, and an HMAC-SHA256 under a separate key as a
//! blind index for exact lookup.
//!
//! Keys come from configuration only (a key file or the `GAJOK_KEYS` variable), never from
//! the database or the repository. Format, one entry per line (or `;`-separated):
//!
//! ```text
//! hmac <base64 of 32 bytes>
//! aes <key id> <base64 of 32 bytes>     # several allowed; the LAST one encrypts new values
//! ```

use aes_gcm::aead::{Aead, Generate, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("key configuration line {line}: {what}")]
    Config { line: usize, what: &'static str },
    #[error("no encryption key (aes) configured")]
    NoAesKey,
    #[error("no lookup key (hmac) configured")]
    NoHmacKey,
    #[error("value sealed with key {0:?}, which is not configured")]
    UnknownKey(String),
    #[error("ciphertext does not decrypt (wrong key or tampered)")]
    Decrypt,
}

/// The configured keys. Debug prints only the key ids.
#[derive(Clone)]
pub struct Keyring {
    /// Oldest first; the last encrypts.
    aes: Vec<(String, [u8; 32])>,
    hmac: [u8; 32],
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring").field("aes_ids", &self.ids()).field("hmac", &"<set>").finish()
    }
}

/// A sealed value: which key, and hex of nonce || ciphertext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub ciphertext: String,
}

fn b64_value(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    } as u32)
}

/// Standard or URL-safe base64, padding optional.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        acc = (acc << 6) | b64_value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

pub fn base64_encode(b: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &x)| acc | (u32::from(x) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn key32(line: usize, b64: &str) -> Result<[u8; 32], KeyError> {
    let bytes = base64_decode(b64).ok_or(KeyError::Config { line, what: "not base64" })?;
    bytes.try_into().map_err(|_| KeyError::Config { line, what: "a key must be 32 bytes" })
}

impl Keyring {
    /// Parses the key configuration (see the module documentation).
    pub fn parse(text: &str) -> Result<Keyring, KeyError> {
        let mut aes: Vec<(String, [u8; 32])> = Vec::new();
        let mut hmac = None;
        for (i, raw) in text.split(['\n', ';']).enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["hmac", k] => hmac = Some(key32(i + 1, k)?),
                ["aes", id, k] => {
                    if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                        return Err(KeyError::Config { line: i + 1, what: "key id: letters, digits, - and _ only" });
                    }
                    if aes.iter().any(|(x, _)| x == id) {
                        return Err(KeyError::Config { line: i + 1, what: "duplicate key id" });
                    }
                    aes.push((id.to_string(), key32(i + 1, k)?));
                }
                _ => return Err(KeyError::Config { line: i + 1, what: "expected `hmac <key>` or `aes <id> <key>`" }),
            }
        }
        if aes.is_empty() {
            return Err(KeyError::NoAesKey);
        }
        Ok(Keyring { aes, hmac: hmac.ok_or(KeyError::NoHmacKey)? })
    }

    /// Fresh random keys that live only as long as the process (demo mode).
    pub fn ephemeral() -> Keyring {
        let k = Key::<Aes256Gcm>::generate();
        let h = Key::<Aes256Gcm>::generate();
        Keyring { aes: vec![("demo".into(), k.into())], hmac: h.into() }
    }

    /// A new configuration line for a random key (`gajok keys generate`).
    pub fn generate_line(id: Option<&str>) -> String {
        let k: [u8; 32] = Key::<Aes256Gcm>::generate().into();
        match id {
            Some(id) => format!("aes {id} {}", base64_encode(&k)),
            None => format!("hmac {}", base64_encode(&k)),
        }
    }

    pub fn ids(&self) -> Vec<&str> {
        self.aes.iter().map(|(id, _)| id.as_str()).collect()
    }

    /// The key that encrypts new values.
    pub fn current_id(&self) -> &str {
        self.aes.last().map(|(id, _)| id.as_str()).unwrap_or("")
    }

    fn cipher(&self, id: &str) -> Result<Aes256Gcm, KeyError> {
        let (_, k) = self.aes.iter().find(|(x, _)| x == id).ok_or_else(|| KeyError::UnknownKey(id.to_string()))?;
        Ok(Aes256Gcm::new(&Key::<Aes256Gcm>::from(*k)))
    }

    /// Associated data: the value is bound to its place (table, column, row) and key id, so a
    /// ciphertext copied to another member or column does not decrypt.
    fn aad(context: &str, key_id: &str) -> Vec<u8> {
        format!("gajok/v1/{context}/{key_id}").into_bytes()
    }

    pub fn seal(&self, context: &str, plaintext: &str) -> Result<Sealed, KeyError> {
        let id = self.current_id().to_string();
        let cipher = self.cipher(&id)?;
        let nonce = Nonce::generate();
        let aad = Self::aad(context, &id);
        let ct =
            cipher.encrypt(&nonce, Payload { msg: plaintext.as_bytes(), aad: &aad }).map_err(|_| KeyError::Decrypt)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok(Sealed { key_id: id, ciphertext: hex::encode(out) })
    }

    pub fn open(&self, context: &str, s: &Sealed) -> Result<String, KeyError> {
        let cipher = self.cipher(&s.key_id)?;
        let raw = hex::decode(&s.ciphertext).map_err(|_| KeyError::Decrypt)?;
        if raw.len() < 12 + 16 {
            return Err(KeyError::Decrypt);
        }
        let (n, ct) = raw.split_at(12);
        let nonce = Nonce::try_from(n).map_err(|_| KeyError::Decrypt)?;
        let aad = Self::aad(context, &s.key_id);
        let pt = cipher.decrypt(&nonce, Payload { msg: ct, aad: &aad }).map_err(|_| KeyError::Decrypt)?;
        String::from_utf8(pt).map_err(|_| KeyError::Decrypt)
    }

    /// The blind index: HMAC-SHA256 of the normalised value, hex.
    pub fn lookup_hash(&self, normalised: &str) -> String {
        let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.hmac).expect("HMAC takes any key length");
        m.update(normalised.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(lines: &[&str]) -> Keyring {
        Keyring::parse(&lines.join("\n")).unwrap()
    }

    fn k(n: u8) -> String {
        base64_encode(&[n; 32])
    }

    #[test]
    fn base64_round_trips() {
        for len in 0..40 {
            let v: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base64_decode(&base64_encode(&v)).unwrap(), v, "len {len}");
        }
        assert_eq!(base64_encode(b"gajok"), "Z2Fqb2s=");
        assert!(base64_decode("not base64!").is_none());
    }

    #[test]
    fn seals_and_opens_with_the_record_bound() {
        let r = ring(&[&format!("hmac {}", k(9)), &format!("aes k1 {}", k(1))]);
        let s = r.seal("members.foreign_id/7", "900101-5123456").unwrap();
        assert_eq!(s.key_id, "k1");
        assert!(!s.ciphertext.contains("900101"));
        assert_eq!(r.open("members.foreign_id/7", &s).unwrap(), "900101-5123456");
        // Another row: refused (AAD), not garbage.
        assert_eq!(r.open("members.foreign_id/8", &s), Err(KeyError::Decrypt));
        // Tampered: refused.
        let mut t = s.clone();
        let last = t.ciphertext.pop().unwrap();
        t.ciphertext.push(if last == '0' { '1' } else { '0' });
        assert_eq!(r.open("members.foreign_id/7", &t), Err(KeyError::Decrypt));
        // Two seals of the same value differ (random nonce).
        assert_ne!(r.seal("members.foreign_id/7", "900101-5123456").unwrap().ciphertext, s.ciphertext);
    }

    #[test]
    fn the_last_key_encrypts_and_older_keys_still_decrypt() {
        let h = format!("hmac {}", k(9));
        let r1 = ring(&[&h, &format!("aes k1 {}", k(1))]);
        let s1 = r1.seal("c", "v").unwrap();
        let r12 = ring(&[&h, &format!("aes k1 {}", k(1)), &format!("aes k2 {}", k(2))]);
        assert_eq!(r12.current_id(), "k2");
        assert_eq!(r12.open("c", &s1).unwrap(), "v");
        let s2 = r12.seal("c", "v").unwrap();
        assert_eq!(s2.key_id, "k2");
        let r2 = ring(&[&h, &format!("aes k2 {}", k(2))]);
        assert_eq!(r2.open("c", &s2).unwrap(), "v");
        assert_eq!(r2.open("c", &s1), Err(KeyError::UnknownKey("k1".into())));
        // The lookup hash depends only on the hmac key.
        assert_eq!(r1.lookup_hash("9001015123456"), r2.lookup_hash("9001015123456"));
        assert_ne!(r1.lookup_hash("9001015123456"), r1.lookup_hash("9001015123457"));
    }

    #[test]
    fn bad_configuration_is_refused_with_the_line() {
        assert_eq!(Keyring::parse("").unwrap_err(), KeyError::NoAesKey);
        assert_eq!(Keyring::parse(&format!("aes k1 {}", k(1))).unwrap_err(), KeyError::NoHmacKey);
        assert_eq!(
            Keyring::parse(&format!("hmac {}\naes k1 c2hvcnQ=", k(1))).unwrap_err(),
            KeyError::Config { line: 2, what: "a key must be 32 bytes" }
        );
        assert!(matches!(Keyring::parse("aes"), Err(KeyError::Config { line: 1, .. })));
        let dup = format!("hmac {}; aes a {}; aes a {}", k(1), k(2), k(3));
        assert!(matches!(Keyring::parse(&dup), Err(KeyError::Config { line: 3, what: "duplicate key id" })));
        // Debug never prints key material.
        let r = ring(&[&format!("hmac {}", k(7)), &format!("aes k1 {}", k(7))]);
        assert!(!format!("{r:?}").contains(&k(7)));
    }
}
