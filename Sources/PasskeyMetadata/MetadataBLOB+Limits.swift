public import PasskeyJSON

extension MetadataBLOB {
    /// Sizes and counts a BLOB may reach, checked before anything is built from it. The defaults are far above the
    /// published BLOB (2026: about 500 entries, a few MB of JWT, mostly base64 icons and certificates) and keep the
    /// worst case at a few hundred MB of transient work, once per load.
    public struct Limits: Sendable {
        /// The whole file.
        public var maxBLOBBytes = 32 << 20
        /// The encoded JWS header (x5c chain included).
        public var maxHeaderBytes = 64 << 10
        /// Certificates in the header's `x5c`.
        public var maxChainCertificates = 8
        /// Any one certificate (DER), in `x5c`, `attestationRootCertificates` or a status report.
        public var maxCertificateBytes = 16 << 10
        /// The payload's JSON.
        public var json = JSONReader.Limits(maxDepth: 32, maxNodes: 2_000_000, maxMembersPerObject: 1024)
        public var maxEntries = 65_536
        public var maxStatusReportsPerEntry = 1024
        public var maxKeyIdentifiersPerEntry = 4096
        public var maxRootCertificatesPerEntry = 64
        public var maxAttestationTypesPerEntry = 32
        /// Root certificates over the whole BLOB (each is parsed with OpenSSL).
        public var maxRootCertificates = 65_536
        /// Any string passkeyd keeps (description, status value, AAID).
        public var maxStringBytes = 4096

        public init() {}

        public static let `default` = Limits()
    }
}
