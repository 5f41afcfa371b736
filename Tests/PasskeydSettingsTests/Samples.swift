import Foundation

@testable import PasskeydSettings

/// Valid and invalid spellings of a value, derived from a setting's type and range, so that a setting added to the
/// table is covered by every table-driven test without writing anything for it.
struct Samples {
    /// A valid value as a flag or environment variable spells it, as JSON, and what it parses to.
    struct Valid {
        let text: String
        let json: String
        let value: SettingValue
    }

    let valid: [Valid]
    /// Flag and environment spellings that must not parse.
    let invalidText: [String]
    /// Config file values (JSON) that must not parse.
    let invalidJSON: [String]

    init(_ type: SettingType) {
        switch type {
        case .integer(let r):
            valid = [r.lowerBound, r.lowerBound + 1, r.upperBound].map {
                Valid(text: String($0), json: String($0), value: .integer($0))
            }
            invalidText = [
                "abc", "", " 1", "1 ", "+1", "0x10", "1.5", "1e3", "1_000", "٣", String(r.upperBound + 1),
                String(r.lowerBound - 1), "99999999999999999999999",
            ]
            invalidJSON = ["\"\(r.lowerBound)\"", "1.5", "1e3", "true", "null", "[1]", String(r.upperBound + 1), String(r.lowerBound - 1)]
        case .octal(let r):
            valid = [r.lowerBound, 0o600, r.upperBound].map {
                Valid(text: String($0, radix: 8), json: "\"\(String($0, radix: 8))\"", value: .integer($0))
            }
            invalidText = ["abc", "", "8", "9", "0x1", "-1", "+7", " 660", String(r.upperBound + 1, radix: 8)]
            invalidJSON = ["660", "\"8\"", "\"\"", "\"\(String(r.upperBound + 1, radix: 8))\"", "null", "true"]
        case .boolean:
            valid = [
                Valid(text: "on", json: "true", value: .boolean(true)), Valid(text: "off", json: "false", value: .boolean(false)),
                Valid(text: "true", json: "true", value: .boolean(true)), Valid(text: "false", json: "false", value: .boolean(false)),
            ]
            invalidText = ["maybe", "", "yes", "no", "1", "0", "ON", "True", " on"]
            invalidJSON = ["\"on\"", "\"true\"", "1", "0", "null", "\"maybe\""]
        case .text(let max):
            valid = ["a", "/tmp/x y", String(repeating: "b", count: max)].map {
                Valid(text: $0, json: "\"\($0)\"", value: .text($0))
            }
            invalidText = ["", String(repeating: "a", count: max + 1)]
            invalidJSON = ["1", "\"\"", "null", "[\"a\"]", "true", "\"a\\u0000b\""]
        case .address:
            valid = ["127.0.0.1", "0.0.0.0", "::1", "::", "fe80::1", "localhost"].map {
                Valid(text: $0, json: "\"\($0)\"", value: .text($0))
            }
            invalidText = ["", "example.com", "127.0.0.256", "1.2.3", " 127.0.0.1", "127.0.0.1:80", "[::1]", "LOCALHOST", "::g"]
            invalidJSON = ["1", "\"\"", "null", "[\"::1\"]", "\"example.com\"", "true"]
        case .choice(let words):
            valid = words.map { Valid(text: $0, json: "\"\($0)\"", value: .text($0)) }
            invalidText = ["loud", "", words[0].uppercased(), " " + words[0]]
            invalidJSON = ["\"loud\"", "1", "null", "\"\(words[0].uppercased())\""]
        case .uidList(let r):
            valid = [
                Valid(text: "1000", json: "[1000]", value: .uids([1000])),
                Valid(text: "1000,1001", json: "[1000, 1001]", value: .uids([1000, 1001])),
                Valid(text: "\(r.lowerBound), \(r.upperBound)", json: "[\(r.lowerBound),\(r.upperBound)]", value: .uids([r.lowerBound, r.upperBound])),
            ]
            invalidText = [
                "abc", "1000,abc", "", " ", ",", "1000,", ",1000", "1000,,1001", "-1", "1000 1001", "0x10",
                String(UInt64(r.upperBound) + 1), "1000;1001",
            ]
            invalidJSON = ["[]", "\"1000\"", "[\"1000\"]", "[1000,-1]", "[\(UInt64(r.upperBound) + 1)]", "1000", "null", "[1.5]"]
        case .pathList(let max, let count):
            let many = (0..<count).map { "/p\($0)" }
            let long = String(repeating: "b", count: max)
            valid = [
                Valid(text: "a", json: "[\"a\"]", value: .texts(["a"])),
                Valid(text: "/tmp/x y,b.crl", json: "[\"/tmp/x y\", \"b.crl\"]", value: .texts(["/tmp/x y", "b.crl"])),
                Valid(
                    text: many.joined(separator: ","), json: "[" + many.map { "\"\($0)\"" }.joined(separator: ",") + "]",
                    value: .texts(many)),
                Valid(text: long, json: "[\"\(long)\"]", value: .texts([long])),
            ]
            invalidText = [
                "", ",", "a,", ",a", "a,,b", (0...count).map { "/p\($0)" }.joined(separator: ","),
                String(repeating: "a", count: max + 1),
            ]
            invalidJSON = [
                "[]", "\"a\"", "[1]", "[\"\"]", "null", "[\"a\\u0000b\"]", "[\"a\", null]",
                "[" + (0...count).map { "\"/p\($0)\"" }.joined(separator: ",") + "]",
            ]
        }
    }
}

/// A config file in a fresh temporary directory; removed with `remove()`.
struct TemporaryConfig {
    let directory: String
    let path: String

    init(_ json: String) throws {
        directory = NSTemporaryDirectory() + "pkd-cfg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/config.json"
        try write(json)
    }

    func write(_ json: String) throws { try Data(json.utf8).write(to: URL(fileURLWithPath: path)) }
    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

extension ServeSettings {
    /// Resolves without throwing, leaving out the cross-setting rules' problems (a lone tls_cert is a conflict, which
    /// per-setting tests are not about).
    static func readIgnoringRules(arguments: [String] = [], environment: [String: String] = [:])
        -> (ServeSettings, [SettingProblem])
    {
        let (s, problems) = read(arguments: arguments, environment: environment)
        return (s, problems.filter { $0.code != .conflict })
    }
}
