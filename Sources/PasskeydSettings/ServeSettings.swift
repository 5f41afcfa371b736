public import Logging
public import PasskeyServer
public import PasskeyMetadata
public import PasskeyWebAuthn

/// Everything `passkeyd serve` runs with, read strictly from the settings table's three sources
/// (`ServeSettings.load`). Nothing in here was defaulted because a value failed to parse.
public struct ServeSettings: Sendable {
    public var server = ServerConfiguration()
    public var logLevel: Logger.Level = .info
    /// The JSON config file (flag or environment only); its relying parties are re-read on SIGHUP.
    public var configPath: String?
    /// The config file's named relying parties.
    public var relyingParties: [String: RelyingParty] = [:]
    /// The server-wide attestation policy every relying party (named or inline) starts from: the roots per format
    /// (the published defaults with the config file's top-level `attestation_roots` applied) and the one metadata
    /// store, whose BLOB `loadMetadata` reads and SIGHUP swaps.
    public var attestation = AttestationPolicy()
    /// FIDO MDS3 BLOB (blob.jwt as downloaded), the FIDO root certificate(s) it must chain to (PEM), and optional CRLs.
    public var metadataBLOBPath: String?
    public var metadataRootCertificatePath: String?
    public var metadataCRLPaths: [String] = []
    /// The challenge keys (`loadChallengeKeys`); nil: an ephemeral key made at start.
    public var challengeKeysPath: String?
    /// Where each setting's value came from; absent means the default.
    public internal(set) var sources: [String: SettingSource] = [:]
    /// The flags and environment read at start, kept so that a reload resolves the same way with the new file.
    var inputs = SettingInputs()

    public init() { attestation.metadata = MetadataStore() }

    /// The metadata store the settings' relying parties share (always present; empty until a BLOB is loaded).
    public var metadataStore: MetadataStore { attestation.metadata! }

    public func source(of name: String) -> SettingSource { sources[name] ?? .defaultValue }

    /// The setting called `name` (snake_case).
    public static func setting(_ name: String) -> Setting? { table.first { $0.name == name } }

    /// Environment variables with the `PASSKEYD_` prefix that belong to clients and test suites (passkeyctl's socket,
    /// the suites' daemon binary). The daemon ignores these and refuses every other unknown `PASSKEYD_` name.
    public static let clientEnvironmentVariables: Set<String> = ["PASSKEYD_SOCKET", "PASSKEYD_BIN"]
}

/// The raw flag and environment values by setting name, before parsing.
struct SettingInputs: Sendable {
    var flags: [String: String] = [:]
    var environment: [String: String] = [:]
    /// For the default socket path.
    var runtimeDirectory: String?
}
