#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One entry of the settings table (`ServeSettings.table`): a name, a type with its range, help text, and where its
/// value goes in `ServeSettings`. The default is whatever `ServeSettings()` holds, so it is written in one place.
///
/// Each setting is read from three sources, in this precedence: the flag `--name-with-dashes`, the environment
/// variable `PASSKEYD_NAME_IN_CAPITALS`, the config file member `name_in_snake_case`; then the default.
public struct Setting: Sendable {
    /// snake_case; also the config file member.
    public let name: String
    public let type: SettingType
    /// What --help shows after the flag: `<path>`, `<0...65535>`.
    public let placeholder: String
    public let help: String
    /// The default as --help states it when `ServeSettings()` alone does not say it (nil there, or a computed value).
    public let defaultNote: String?
    /// False for `config`, which names the file and so cannot be in it.
    public let inConfigFile: Bool
    let store: @Sendable (inout ServeSettings, SettingValue) -> Void
    let load: @Sendable (ServeSettings) -> SettingValue?

    public var flag: String { "--" + String(name.map { $0 == "_" ? "-" : $0 }) }
    public var environmentVariable: String { "PASSKEYD_" + name.uppercased() }

    /// The effective value in `settings`, nil when unset.
    public func value(in settings: ServeSettings) -> SettingValue? { load(settings) }

    /// The value as a flag or environment variable would spell it.
    public func format(_ value: SettingValue) -> String { type.format(value) }
}

/// The type of a setting, with its range or allowed values. Text (flags, environment) and JSON (config file) are
/// parsed strictly: anything else is an error, never a default.
public enum SettingType: Sendable, Equatable {
    /// Decimal digits with an optional leading '-' (no '+', no spaces, no hex); JSON: an integer.
    case integer(ClosedRange<Int>)
    /// Octal digits, e.g. 660; JSON: a string of them (JSON has no octal numbers).
    case octal(ClosedRange<Int>)
    /// on, off, true or false; JSON: true or false.
    case boolean
    /// A non-empty string of at most `maxBytes` UTF-8 bytes, without NUL.
    case text(maxBytes: Int)
    /// One of the listed words.
    case choice([String])
    /// Comma-separated UIDs (spaces around commas allowed), at least one; JSON: a non-empty array of integers.
    case uidList(ClosedRange<UInt32>)
    /// Comma-separated paths (taken as written: no trimming), 1...maxCount of them, each like `text(maxBytes:)`;
    /// JSON: a non-empty array of such strings.
    case pathList(maxBytes: Int, maxCount: Int)
    /// An IPv4 or IPv6 address (inet_pton's forms), or `localhost`; JSON: a string. For listeners that bind an address.
    case address
}

/// A parsed setting value; its case always matches the setting's type.
public enum SettingValue: Sendable, Hashable {
    case integer(Int)
    case boolean(Bool)
    case text(String)
    case uids([UInt32])
    case texts([String])
}

extension SettingType {
    /// What a value must be, completing "<name> must ...". `inFile` words it for the config file's JSON.
    public func requirement(inFile: Bool) -> String {
        switch self {
        case .integer(let r):
            return "be an integer in \(r.lowerBound)...\(r.upperBound)"
        case .octal(let r):
            let range = "\(String(r.lowerBound, radix: 8))...\(String(r.upperBound, radix: 8))"
            return inFile ? "be a string of octal digits in \(range), e.g. \"660\"" : "be octal digits in \(range), e.g. 660"
        case .boolean:
            return inFile ? "be true or false" : "be on, off, true or false"
        case .text(let max):
            return "be a non-empty string of at most \(max) bytes"
        case .choice(let words):
            return "be one of " + words.joined(separator: ", ")
        case .uidList(let r):
            let each = "UIDs in \(r.lowerBound)...\(r.upperBound)"
            return inFile ? "be a non-empty JSON array of \(each)" : "be a comma-separated list of \(each), at least one"
        case .pathList(let max, let count):
            let each = "non-empty paths of at most \(max) bytes"
            return inFile
                ? "be a JSON array of 1...\(count) \(each)" : "be a comma-separated list of 1...\(count) \(each)"
        case .address:
            return "be an IPv4 or IPv6 address, or localhost"
        }
    }

    /// Parses a flag or environment value; nil when it does not parse or is out of range.
    public func parse(_ text: String) -> SettingValue? {
        switch self {
        case .integer(let r):
            guard let i = Self.decimal(Substring(text)), r.contains(i) else { return nil }
            return .integer(i)
        case .octal(let r):
            guard let i = Self.octal(text), r.contains(i) else { return nil }
            return .integer(i)
        case .boolean:
            switch text {
            case "on", "true": return .boolean(true)
            case "off", "false": return .boolean(false)
            default: return nil
            }
        case .text(let max):
            guard Self.isValidText(text, maxBytes: max) else { return nil }
            return .text(text)
        case .choice(let words):
            return words.contains(text) ? .text(text) : nil
        case .uidList(let r):
            var uids: [UInt32] = []
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = item.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()
                guard let i = Self.decimal(Substring(trimmed)), i >= Int(r.lowerBound), i <= Int(r.upperBound) else {
                    return nil
                }
                uids.append(UInt32(i))
            }
            return uids.isEmpty ? nil : .uids(uids)
        case .pathList(let max, let count):
            let paths = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard (1...count).contains(paths.count), paths.allSatisfy({ Self.isValidText($0, maxBytes: max) }) else { return nil }
            return .texts(paths)
        case .address:
            guard text == "localhost" || Self.isIPAddress(text) else { return nil }
            return .text(text)
        }
    }

    /// The value spelled as a flag or environment variable takes it.
    public func format(_ value: SettingValue) -> String {
        switch (self, value) {
        case (.octal, .integer(let i)): String(i, radix: 8)
        case (_, .integer(let i)): String(i)
        case (_, .boolean(let b)): b ? "on" : "off"
        case (_, .text(let s)): s
        case (_, .uids(let u)): u.map { String($0) }.joined(separator: ",")
        case (_, .texts(let t)): t.joined(separator: ",")
        }
    }

    /// Optional '-', then one or more ASCII digits; nil otherwise or on overflow.
    static func decimal(_ s: Substring) -> Int? {
        let digits = s.hasPrefix("-") ? s.dropFirst() : s
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(s)
    }

    static func octal(_ s: String) -> Int? {
        guard !s.isEmpty, s.utf8.count <= 6, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x37 }) else { return nil }
        return Int(s, radix: 8)
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    static func isValidText(_ s: String, maxBytes: Int) -> Bool {
        !s.isEmpty && s.utf8.count <= maxBytes && !s.utf8.contains(0)
    }
}
