//! Which reveals need the user's own confirmation outside the web view (the desktop app asks in
//! a native dialog): a production connection's secrets, and a named secret a production
//! connection uses. The rest are shown at once.

use patchbay_core::desk::{Desk, RevealTarget};
use patchbay_core::model::*;
use patchbay_core::SecretString;
use patchbay_testkit::*;

#[test]
fn production_secrets_and_the_named_secrets_they_use_need_a_confirmation_and_others_do_not() {
    let s = store();
    let d = Desk::new(s.reopen_with(s.key.clone()));
    d.put_secret("shared", &SecretString::new("v"), None)
        .unwrap();
    d.put_secret("loose", &SecretString::new("w"), None)
        .unwrap();
    let mut prod = postgres_using("orders", "shared");
    prod.env_tag = Some("Prod".into());
    d.save(prod, None).unwrap();
    let mut dev = postgres("scratch", "pw");
    dev.env_tag = Some("dev".into());
    d.save(dev, None).unwrap();
    let field = |name| RevealTarget::Field {
        kind: Kind::Database,
        name,
    };
    assert_eq!(
        d.reveal_guard(field("orders")).unwrap().as_deref(),
        Some("\"orders\" is tagged prod: its secret will show in the window for 20 seconds.")
    );
    assert_eq!(d.reveal_guard(field("scratch")).unwrap(), None);
    assert_eq!(
        d.reveal_guard(RevealTarget::Secret { name: "shared" })
            .unwrap()
            .as_deref(),
        Some("The secret \"shared\" is used by production connection(s) database/orders: its value will show in the window for 20 seconds.")
    );
    assert_eq!(
        d.reveal_guard(RevealTarget::Secret { name: "loose" })
            .unwrap(),
        None
    );
    let e = d
        .reveal_guard(RevealTarget::Secret { name: "missing" })
        .unwrap_err();
    assert_eq!(e.code(), "not_found");
}
