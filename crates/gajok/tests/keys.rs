//! Key rotation of the encrypted identifiers, through the real `gajok keys` commands on both
//! backends: values sealed with key 1, `gajok keys rotate` with keys 1 and 2 configured, key 1
//! removed from the file, and every value still opens and is still found by its lookup hash.

use std::process::{Command, Output};

use gajok_app::privacy::crypto::Keyring;
use gajok_app::privacy::identifiers;
use gajok_domain::people::Sex;
use gajok_store::people::{self, MemberData};
use gajok_store::privacy::identifiers as store;
use gajok_store::{Store, testing};

fn gajok(db: &str, key_file: Option<&std::path::Path>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gajok"));
    c.args(args).env("GAJOK_DATABASE_URL", db).env("GAJOK_LOG", "warn").env_remove("GAJOK_KEYS");
    match key_file {
        Some(f) => c.env("GAJOK_KEY_FILE", f),
        None => c.env_remove("GAJOK_KEY_FILE"),
    };
    c.output().expect("run gajok")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn line(o: &Output) -> String {
    assert!(o.status.success(), "{}", text(o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[tokio::test]
async fn rotate_to_a_new_key_then_drop_the_old_one() {
    let dir = std::env::temp_dir().join(format!("gajok-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (n, db) in testing::urls().await.into_iter().enumerate() {
        let o = gajok(&db, None, &["migrate"]);
        assert!(o.status.success(), "{}", text(&o));
        let store = Store::connect(&db).await.unwrap();
        let o = gajok(&db, None, &["demo"]);
        assert!(o.status.success(), "{}", text(&o));
        let center = gajok_store::orgs::by_code(&store, "C-11215-01").await.unwrap().unwrap().id;

        // Key lines from the CLI itself.
        let hmac = line(&gajok(&db, None, &["keys", "generate", "--hmac"]));
        let k1 = line(&gajok(&db, None, &["keys", "generate", "--id", "k1"]));
        let k2 = line(&gajok(&db, None, &["keys", "generate", "--id", "k2"]));
        assert!(hmac.starts_with("hmac ") && k1.starts_with("aes k1 ") && k2.starts_with("aes k2 "));
        let ring1 = Keyring::parse(&format!("{hmac}\n{k1}")).unwrap();

        // Three members with identifiers sealed under key 1.
        let values = ["900101-5123456", "850715-6234567", "010203-7345678"];
        let mut ids = Vec::new();
        let mut tx = store.begin().await.unwrap();
        for (i, v) in values.iter().enumerate() {
            let d = MemberData {
                name: format!("외국인{i}"),
                birth_date: "1990-01-01".into(),
                sex: Sex::Female,
                phone: None,
                address: None,
                nationality: "VN".into(),
                single_parent: false,
                grandparent: false,
                multicultural: true,
                dual_income: false,
                low_income: false,
                family_id: None,
                relation: None,
                guardian_id: None,
            };
            let m = people::insert(&mut tx, center, &d, "2026-01-05").await.unwrap();
            let digits = identifiers::normalise(v).unwrap();
            store::put(&mut tx, &identifiers::seal(&ring1, m.id, &digits).unwrap()).await.unwrap();
            ids.push(m.id);
        }
        tx.commit().await.unwrap();
        let before: Vec<store::Sealed> = store::all_after(&store, 0, 100).await.unwrap();
        assert_eq!(before.len(), 3);
        assert!(before.iter().all(|s| s.key_id == "k1" && !s.ciphertext.contains("900101")));

        // Without keys the rotation refuses (exit 2) and changes nothing.
        let o = gajok(&db, None, &["keys", "rotate"]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert_eq!(store::all_after(&store, 0, 100).await.unwrap(), before);

        // Keys 1 and 2 configured: everything moves to key 2.
        let file = dir.join(format!("keys-{n}.txt"));
        std::fs::write(&file, format!("# test keys\n{hmac}\n{k1}\n{k2}\n")).unwrap();
        let o = gajok(&db, Some(&file), &["keys", "rotate"]);
        assert!(o.status.success(), "{db}: {}", text(&o));
        assert!(text(&o).contains("3 identifiers re-encrypted with key k2"), "{}", text(&o));
        let after = store::all_after(&store, 0, 100).await.unwrap();
        assert!(after.iter().all(|s| s.key_id == "k2"), "{db}");
        for (a, b) in after.iter().zip(&before) {
            assert_ne!(a.ciphertext, b.ciphertext, "{db}: re-encrypted");
            assert_eq!(a.hash, b.hash, "{db}: the lookup hash does not change");
            assert_eq!(a.masked, b.masked);
        }

        // Key 1 removed: every value still opens, lookups still find the member.
        std::fs::write(&file, format!("{hmac}\n{k2}\n")).unwrap();
        let ring2 = Keyring::parse(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for (s, v) in after.iter().zip(values) {
            assert_eq!(identifiers::open(&ring2, s).unwrap(), identifiers::normalise(v).unwrap(), "{db}");
        }
        assert!(identifiers::open(&ring1, &after[0]).is_err(), "{db}: key 1 cannot open key-2 values");
        let h = ring2.lookup_hash(&identifiers::normalise(values[1]).unwrap());
        assert_eq!(store::find_by_hash(&store, &[center], &h).await.unwrap(), vec![ids[1]], "{db}");
        assert_eq!(after[0].masked, "900101-5******");
        // Running again has nothing left to do.
        let o = gajok(&db, Some(&file), &["keys", "rotate"]);
        assert!(text(&o).contains("0 identifiers re-encrypted with key k2"), "{}", text(&o));
        // A broken key file is an error naming the line, not a silent fallback.
        std::fs::write(&file, format!("{hmac}\naes k3 c2hvcnQ=\n")).unwrap();
        let o = gajok(&db, Some(&file), &["keys", "rotate"]);
        assert!(!o.status.success() && text(&o).contains("line 2"), "{}", text(&o));
        store.close().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
