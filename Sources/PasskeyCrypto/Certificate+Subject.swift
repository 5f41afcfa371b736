internal import CPasskeyOpenSSL

extension Certificate {
    /// How many attributes the subject Name holds, whatever their types or string encodings (0: the empty
    /// subject a TPM AIK certificate must have, WebAuthn §8.3.1). Unlike `subjectAttributes`, nothing is skipped.
    public var subjectAttributeCount: Int {
        guard let name = X509_get_subject_name(x509) else { return 0 }
        return Int(max(0, X509_NAME_entry_count(name)))
    }
}
