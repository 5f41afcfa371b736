import PasskeyJSON
import PasskeyRequests
import PasskeyWebAuthn

/// The daemon's config file (JSON): any setting of the table except `config`, by its snake_case name, plus named
/// relying parties, which requests reference by `policy.relying_party` and SIGHUP re-reads, and the server-wide
/// `attestation_roots` (per format, the shape relying parties use), which every relying party starts from.
///
/// ```json
/// {"unix_socket": "/run/passkeyd/passkeyd.sock", "socket_mode": "660", "allowed_peer_uids": [1000],
///  "tcp_port": 7800, "batching": true, "log_level": "info",
///  "relying_parties": {"example": {"rp_id": "example.com", "origins": ["https://example.com"],
///                                  "trust_anchors_pem_files": ["anchors.pem"], "require_user_verification": true}}}
/// ```
///
/// Strict like the other sources: an unknown member, a value of the wrong JSON type, one that is out of range, and a
/// relying party that does not decode are each a problem; none is skipped.
struct ConfigFile: Sendable {
    let path: String
    /// The settings the file sets, parsed by the table.
    private(set) var values: [String: SettingValue] = [:]
    private(set) var relyingParties: [String: RelyingParty] = [:]
    /// The server-wide attestation policy: what `init` was given, with the file's top-level `attestation_roots`.
    private(set) var attestation: AttestationPolicy

    /// Reads and checks the file, appending what is wrong to `problems`; relative trust-anchor files are resolved
    /// against its directory. Relying parties are decoded on top of `attestation` with the file's own
    /// `attestation_roots` applied (whichever comes first in the file).
    init(path: String, attestation base: AttestationPolicy, problems: inout [SettingProblem]) {
        self.path = path
        self.attestation = base
        let source = SettingSource.configFile(path: path)
        guard let text = readTextFile(path) else {
            problems.append(SettingProblem(.unusableConfigFile, setting: "config", source: source, "cannot read config file \(path)"))
            return
        }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        Array(text.utf8).withUnsafeBytes { bytes in
            var reader = JSONReader()
            let root: JSONReader.Value
            do {
                root = try reader.parse(bytes)
            } catch {
                problems.append(
                    SettingProblem(.unusableConfigFile, setting: "config", source: source, "config file \(path) is not strict JSON: \(error)"))
                return
            }
            guard reader.kind(root) == .object else {
                problems.append(
                    SettingProblem(.unusableConfigFile, setting: "config", source: source, "config file \(path) is not a JSON object"))
                return
            }
            do throws(RequestError) {
                attestation = try RelyingPartyJSON.decodeServerAttestation(
                    reader: reader, object: root, directory: directory, onto: base)
            } catch {
                problems.append(
                    SettingProblem(.invalidAttestationRoots, setting: nil, source: source, "attestation_roots (\(source)): \(error)"))
            }
            reader.forEachMember(root) { k, v in
                guard let name = reader.string(k) else { return }
                if name == "attestation_roots" { return }  // read above, before the relying parties that use it
                if name == "relying_parties" {
                    decodeRelyingParties(reader, v, directory: directory, source: source, problems: &problems)
                    return
                }
                guard let setting = ServeSettings.table.first(where: { $0.name == name && $0.inConfigFile }) else {
                    problems.append(
                        SettingProblem(
                            .unknownConfigMember, setting: nil, source: source,
                            "\"\(SettingProblem.printable(name))\" (\(source)): no such member; passkeyd serve --help lists the settings"))
                    return
                }
                if let value = setting.type.parse(reader, v) {
                    values[name] = value
                } else {
                    problems.append(.invalid(setting, spelled: name, raw: reader.displayText(v), source: source))
                }
            }
        }
    }

    private mutating func decodeRelyingParties(
        _ r: JSONReader, _ v: JSONReader.Value, directory: String, source: SettingSource,
        problems: inout [SettingProblem]
    ) {
        guard r.kind(v) == .object else {
            problems.append(
                SettingProblem(
                    .invalidRelyingParty, setting: nil, source: source,
                    "relying_parties (\(source)): must be an object of named relying parties"))
            return
        }
        r.forEachMember(v) { nk, nv in
            guard let name = r.string(nk) else { return }
            func problem(_ text: String) {
                problems.append(
                    SettingProblem(.invalidRelyingParty, setting: nil, source: source, "relying party '\(name)' (\(source)): \(text)"))
            }
            guard r.kind(nv) == .object else { return problem("must be an object") }
            var unknown: [String] = []
            r.forEachMember(nv) { mk, _ in
                if let m = r.string(mk), !RelyingPartyJSON.members.contains(m), m != "trust_anchors_pem_files" {
                    unknown.append(m)
                }
            }
            guard unknown.isEmpty else { return problem("unknown members \(unknown.joined(separator: ", "))") }
            do throws(RequestError) {
                relyingParties[name] = try RelyingPartyJSON.decode(
                    reader: r, object: nv, directory: directory, attestation: attestation)
            } catch {
                problem(error.description)
            }
        }
    }
}
