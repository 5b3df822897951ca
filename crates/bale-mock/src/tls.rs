//! HTTPS: [`TlsSettings`], the certificate a server presents (generated at start, or read
//! from PEM files), and the handshake every connection goes through before HTTP.
//!
//! rustls with the ring provider (the one bale-client's reqwest uses, so a build has one
//! crypto provider), TLS 1.2 and 1.3, HTTP/1.1 only (ALPN `http/1.1`). A generated
//! certificate ([`LoopbackCertificates`]) is a fresh CA, made up at start, and a leaf for
//! `127.0.0.1`, `::1` and `localhost` that it signed; a client trusts the CA
//! ([`TlsSettings::ca_pem`]).
//!
//! The handshake runs in the connection's own task, bounded by a timeout and by the server's
//! shutdown; one that fails is logged at debug and ends only its own connection.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// How long a client has to complete its TLS handshake after connecting.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The names a generated server certificate is valid for.
pub const LOOPBACK_NAMES: [&str; 3] = ["127.0.0.1", "::1", "localhost"];

/// A certificate authority made up on the spot and a server certificate it signed for
/// [`LOOPBACK_NAMES`], all PEM. `Debug` leaves the private key out.
#[derive(Clone)]
pub struct LoopbackCertificates {
    /// The CA's certificate: what a client trusts.
    pub ca_pem: String,
    /// The server's certificate (the leaf), signed by the CA.
    pub cert_pem: String,
    /// The server certificate's private key (PKCS#8).
    pub key_pem: String,
}

impl LoopbackCertificates {
    /// Generates a fresh CA (ECDSA P-256) and a leaf for [`LOOPBACK_NAMES`] signed by it.
    pub fn generate() -> Result<LoopbackCertificates, TlsError> {
        LoopbackCertificates::generate_for(&[])
    }

    /// [`LoopbackCertificates::generate`], with the leaf also valid for `extra_names` (host
    /// names or IP addresses) — e.g. `tapi.bale.ai`, so that a client whose URL cannot be
    /// changed reaches the mock through a hosts-file entry and trusts it through the CA.
    pub fn generate_for(extra_names: &[String]) -> Result<LoopbackCertificates, TlsError> {
        if let Some(bad) = extra_names
            .iter()
            .find(|name| rustls::pki_types::ServerName::try_from(name.as_str()).is_err())
        {
            return Err(TlsError::Generate(format!(
                "{bad:?} is not a host name or an IP address"
            )));
        }
        let generate = |error: rcgen::Error| TlsError::Generate(error.to_string());

        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(generate)?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_key = KeyPair::generate().map_err(generate)?;
        // A name of its own (from its key), so that a client trusting another run's CA
        // finds no issuer, rather than a namesake whose signature does not match.
        let id: String = ca.key_identifier(&ca_key)[..8]
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        ca.distinguished_name = rcgen::DistinguishedName::new();
        ca.distinguished_name
            .push(DnType::CommonName, format!("bale-mock test CA {id}"));
        let ca_pem = ca.self_signed(&ca_key).map_err(generate)?.pem();
        let issuer = Issuer::new(ca, ca_key);

        let mut names = LOOPBACK_NAMES.map(str::to_owned).to_vec();
        names.extend(extra_names.iter().cloned());
        let mut leaf = CertificateParams::new(names).map_err(generate)?;
        leaf.distinguished_name = rcgen::DistinguishedName::new();
        leaf.distinguished_name
            .push(DnType::CommonName, "localhost");
        leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        leaf.use_authority_key_identifier_extension = true;
        let leaf_key = KeyPair::generate().map_err(generate)?;
        let cert_pem = leaf.signed_by(&leaf_key, &issuer).map_err(generate)?.pem();

        Ok(LoopbackCertificates {
            ca_pem,
            cert_pem,
            key_pem: leaf_key.serialize_pem(),
        })
    }
}

impl fmt::Debug for LoopbackCertificates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoopbackCertificates")
            .field("ca_pem", &self.ca_pem)
            .field("cert_pem", &self.cert_pem)
            .finish_non_exhaustive()
    }
}

/// What a server needs to serve HTTPS: its certificate chain and key, checked and ready.
/// Cloning is cheap.
#[derive(Clone)]
pub struct TlsSettings {
    config: Arc<ServerConfig>,
    ca_pem: Option<Arc<str>>,
}

impl TlsSettings {
    /// Serves a freshly [generated](LoopbackCertificates::generate) certificate; its CA is
    /// [`TlsSettings::ca_pem`].
    pub fn generate() -> Result<TlsSettings, TlsError> {
        TlsSettings::generate_for(&[])
    }

    /// [`TlsSettings::generate`] with a certificate also valid for `extra_names` (see
    /// [`LoopbackCertificates::generate_for`]).
    pub fn generate_for(extra_names: &[String]) -> Result<TlsSettings, TlsError> {
        TlsSettings::from_generated(&LoopbackCertificates::generate_for(extra_names)?)
    }

    /// Serves `certificates`' leaf; its CA is [`TlsSettings::ca_pem`].
    pub fn from_generated(certificates: &LoopbackCertificates) -> Result<TlsSettings, TlsError> {
        let mut settings = TlsSettings::from_pem(
            certificates.cert_pem.as_bytes(),
            certificates.key_pem.as_bytes(),
        )?;
        settings.ca_pem = Some(certificates.ca_pem.as_str().into());
        Ok(settings)
    }

    /// Serves a PEM certificate chain (the server's certificate first, then any
    /// intermediates) with its PEM private key (PKCS#8, PKCS#1 or SEC1).
    pub fn from_pem(cert_chain: &[u8], key: &[u8]) -> Result<TlsSettings, TlsError> {
        let chain = CertificateDer::pem_slice_iter(cert_chain)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| TlsError::pem("certificate chain", error))?;
        if chain.is_empty() {
            return Err(TlsError::pem(
                "certificate chain",
                "no CERTIFICATE section found",
            ));
        }
        let key = PrivateKeyDer::from_pem_slice(key).map_err(|error| match error {
            rustls::pki_types::pem::Error::NoItemsFound => {
                TlsError::pem("private key", "no PRIVATE KEY section found")
            }
            error => TlsError::pem("private key", error),
        })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(TlsError::Rejected)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(TlsError::Rejected)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsSettings {
            config: Arc::new(config),
            ca_pem: None,
        })
    }

    /// [`TlsSettings::from_pem`] with the chain and key read from files.
    pub fn from_pem_files(cert_chain: &Path, key: &Path) -> Result<TlsSettings, TlsError> {
        let read = |path: &Path| {
            std::fs::read(path).map_err(|error| TlsError::Read {
                path: path.to_owned(),
                error,
            })
        };
        TlsSettings::from_pem(&read(cert_chain)?, &read(key)?)
    }

    /// The generated CA's certificate (PEM), for clients to trust; `None` when the
    /// certificate was given rather than generated.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The acceptor that runs the server side of a handshake.
    pub(crate) fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(Arc::clone(&self.config))
    }
}

impl fmt::Debug for TlsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsSettings")
            .field("generated_ca", &self.ca_pem.is_some())
            .finish_non_exhaustive()
    }
}

/// Why [`TlsSettings`] could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// Generating a key or a certificate failed.
    #[error("cannot generate a certificate: {0}")]
    Generate(String),
    /// A PEM file could not be read.
    #[error("{}: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        error: io::Error,
    },
    /// The certificate chain or the key is not usable PEM.
    #[error("the {what} is not usable PEM: {reason}")]
    Pem {
        /// `certificate chain` or `private key`.
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// rustls refused the pair (for example, the key does not match the certificate).
    #[error("the certificate and key cannot be served: {0}")]
    Rejected(#[source] rustls::Error),
}

impl TlsError {
    fn pem(what: &'static str, reason: impl fmt::Display) -> TlsError {
        TlsError::Pem {
            what,
            reason: reason.to_string(),
        }
    }
}

/// The server side of the handshake on a freshly accepted `stream`: `None` (logged at debug)
/// if it fails, takes longer than [`HANDSHAKE_TIMEOUT`], or the server shuts down meanwhile.
pub(crate) async fn handshake(
    acceptor: &TlsAcceptor,
    stream: TcpStream,
    stopped: impl std::future::Future<Output = ()>,
) -> Option<TlsStream<TcpStream>> {
    let peer = stream.peer_addr().ok();
    tokio::select! {
        done = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)) => match done {
            Ok(Ok(stream)) => Some(stream),
            Ok(Err(error)) => {
                tracing::debug!(?peer, %error, "TLS handshake failed");
                None
            }
            Err(_) => {
                tracing::debug!(?peer, "TLS handshake timed out");
                None
            }
        },
        () = stopped => {
            tracing::debug!(?peer, "TLS handshake cut short by the shutdown");
            None
        }
    }
}

#[cfg(test)]
mod tests;
