/// Parsers for the binary structures inside attestation statements — TPM `TPMS_ATTEST` / `TPMT_PUBLIC`, the Android
/// key description, the Apple nonce extension, the TPM subjectAltName, the SafetyNet compact JWS — as plain values
/// over the caller's bytes. Parsing only: no signature or chain checks (those stay on OpenSSL in PasskeyCrypto), and
/// no WebAuthn policy (the ceremony applies it in PasskeyWebAuthn).
public enum AttestationData {}
