/// Where a setting's value came from.
public enum SettingSource: Sendable, Hashable, CustomStringConvertible {
    case flag
    case environment
    case configFile(path: String)
    case defaultValue

    public var description: String {
        switch self {
        case .flag: "flag"
        case .environment: "environment"
        case .configFile(let path): "config file \(path)"
        case .defaultValue: "default"
        }
    }
}

/// One thing wrong with the settings. Any problem stops the daemon (exit status 2); `description` is the line it
/// prints after "passkeyd: ", naming the setting and the source.
public struct SettingProblem: Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// A value that does not parse, has the wrong JSON type or is out of range.
        case invalidValue
        case unknownFlag
        case unknownEnvironmentVariable
        case unknownConfigMember
        /// `--name` with nothing (or another flag) after it.
        case missingValue
        /// The same flag twice.
        case repeatedFlag
        /// A word that is not `--name value` or `--name=value`.
        case unexpectedArgument
        /// The config file cannot be read, is not strict JSON or not an object.
        case unusableConfigFile
        /// A relying party in the config file that does not decode.
        case invalidRelyingParty
        /// The config file's top-level `attestation_roots` does not decode (a PEM that does not parse, an unknown
        /// format, a file that cannot be read).
        case invalidAttestationRoots
        /// Settings that parse one by one but not together (TLS without a key, TLS without TCP).
        case conflict
    }

    public let code: Code
    /// The setting concerned (snake_case), when there is one.
    public let setting: String?
    public let source: SettingSource?
    public let description: String

    init(_ code: Code, setting: String?, source: SettingSource?, _ description: String) {
        self.code = code
        self.setting = setting
        self.source = source
        self.description = description
    }

    static func invalid(_ s: Setting, spelled: String, raw: String, source: SettingSource) -> SettingProblem {
        let inFile = if case .configFile = source { true } else { false }
        return SettingProblem(
            .invalidValue, setting: s.name, source: source,
            "\(spelled)=\(raw) (\(source)): \(s.name) must \(s.type.requirement(inFile: inFile))")
    }

    /// Quotes a flag or environment value for a message: single quotes, control characters escaped, long values cut.
    static func quoted(_ text: String) -> String { "'" + printable(text) + "'" }

    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(80) {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > 80 ? out + "…" : out
    }
}

/// Everything wrong with the settings: the command line's shape and unknown names first, then the config file, then
/// the flag and environment values setting by setting, then the cross-setting rules.
public struct SettingsError: Error, Sendable, CustomStringConvertible {
    public let problems: [SettingProblem]
    public var description: String { problems.map(\.description).joined(separator: "; ") }
}
