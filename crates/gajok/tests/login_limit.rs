//! The per-address login limit is configuration: a bad value stops the binary with the
//! variable named instead of silently running without the limit.

use std::process::Command;

#[test]
fn a_bad_login_limit_setting_is_refused_by_name() {
    let dir = std::env::temp_dir().join(format!("gajok-login-limit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("t.db").display());
    for (var, value) in [("GAJOK_LOGIN_IP_MAX_FAILURES", "many"), ("GAJOK_LOGIN_IP_WINDOW_MINUTES", "0")] {
        let o = Command::new(env!("CARGO_BIN_EXE_gajok"))
            .arg("migrate")
            .env("GAJOK_DATABASE_URL", &db)
            .env("GAJOK_LOG", "warn")
            .env(var, value)
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        assert!(!o.status.success(), "{var}={value}: {text}");
        assert!(text.contains(var) && text.contains("positive whole number"), "{text}");
    }
    let ok = Command::new(env!("CARGO_BIN_EXE_gajok"))
        .arg("migrate")
        .env("GAJOK_DATABASE_URL", &db)
        .env("GAJOK_LOG", "warn")
        .env("GAJOK_LOGIN_IP_MAX_FAILURES", "50")
        .env("GAJOK_LOGIN_IP_WINDOW_MINUTES", "30")
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}
