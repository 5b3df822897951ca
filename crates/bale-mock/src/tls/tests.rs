//! Making [`TlsSettings`]: generated certificates, PEM given by the user, and the mistakes
//! a user can make with it.

use super::*;

#[test]
fn generated_certificates_are_pem_and_served() {
    let generated = LoopbackCertificates::generate().unwrap();
    assert!(generated.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(generated
        .cert_pem
        .starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(generated.key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert_ne!(generated.ca_pem, generated.cert_pem);

    let settings = TlsSettings::from_generated(&generated).unwrap();
    assert_eq!(settings.ca_pem(), Some(generated.ca_pem.as_str()));
    assert_eq!(settings.config.alpn_protocols, [b"http/1.1".to_vec()]);

    // Given rather than generated: no CA to hand out.
    let given =
        TlsSettings::from_pem(generated.cert_pem.as_bytes(), generated.key_pem.as_bytes()).unwrap();
    assert_eq!(given.ca_pem(), None);
}

#[test]
fn every_generation_is_a_new_ca() {
    let first = TlsSettings::generate().unwrap();
    let second = TlsSettings::generate().unwrap();
    assert_ne!(first.ca_pem(), second.ca_pem());
}

#[test]
fn debug_shows_no_private_key() {
    let generated = LoopbackCertificates::generate().unwrap();
    let shown = format!("{generated:?}");
    assert!(!shown.contains("PRIVATE KEY"), "{shown}");
    let settings = TlsSettings::from_generated(&generated).unwrap();
    assert_eq!(
        format!("{settings:?}"),
        "TlsSettings { generated_ca: true, .. }"
    );
}

#[test]
fn unusable_pem_is_refused_with_a_reason() {
    let generated = LoopbackCertificates::generate().unwrap();
    let cert = generated.cert_pem.as_bytes();
    let key = generated.key_pem.as_bytes();

    let error = TlsSettings::from_pem(b"not a certificate", key).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the certificate chain is not usable PEM: no CERTIFICATE section found"
    );
    let error = TlsSettings::from_pem(cert, cert).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the private key is not usable PEM: no PRIVATE KEY section found"
    );
    let broken = "-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n";
    let error = TlsSettings::from_pem(broken.as_bytes(), key).unwrap_err();
    assert!(
        matches!(
            error,
            TlsError::Pem {
                what: "certificate chain",
                ..
            }
        ),
        "{error}"
    );

    // A key that is not the certificate's.
    let other = LoopbackCertificates::generate().unwrap();
    let error = TlsSettings::from_pem(cert, other.key_pem.as_bytes()).unwrap_err();
    assert!(matches!(error, TlsError::Rejected(_)), "{error}");
    assert!(error
        .to_string()
        .starts_with("the certificate and key cannot be served: "));
}

#[test]
fn unreadable_files_name_the_file() {
    let missing = std::env::temp_dir().join("bale-mock-no-such-dir/cert.pem");
    let error = TlsSettings::from_pem_files(&missing, &missing).unwrap_err();
    assert!(matches!(error, TlsError::Read { .. }), "{error}");
    assert!(
        error
            .to_string()
            .starts_with(&missing.display().to_string()),
        "{error}"
    );
}

#[test]
fn generated_certificates_can_also_name_the_real_host() {
    use rustls::client::danger::ServerCertVerifier;
    use rustls::client::WebPkiServerVerifier;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

    let generated = LoopbackCertificates::generate_for(&["tapi.bale.ai".to_owned()]).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(generated.ca_pem.as_bytes()).unwrap())
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
        .build()
        .unwrap();
    let leaf = CertificateDer::from_pem_slice(generated.cert_pem.as_bytes()).unwrap();
    let verify = |name: &str| {
        let name = ServerName::try_from(name.to_owned()).unwrap();
        verifier
            .verify_server_cert(&leaf, &[], &name, &[], UnixTime::now())
            .is_ok()
    };
    assert!(verify("tapi.bale.ai"));
    assert!(verify("localhost") && verify("127.0.0.1"));
    assert!(!verify("api.telegram.org"));
    assert!(TlsSettings::generate_for(&["not a name!".to_owned()]).is_err());
}
