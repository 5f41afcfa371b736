/// Typed constructors: each ties a setting type to a field of `ServeSettings` of the matching Swift type, so the
/// table cannot store an integer into a string.
extension Setting {
    static func integer(
        _ name: String, _ range: ClosedRange<Int>, _ field: WritableKeyPath<ServeSettings, Int> & Sendable,
        note: String? = nil, _ help: String
    ) -> Setting {
        Setting(
            name: name, type: .integer(range), placeholder: "<\(range.lowerBound)...\(range.upperBound)>", help: help,
            defaultNote: note, inConfigFile: true,
            store: { s, v in if case .integer(let i) = v { s[keyPath: field] = i } },
            load: { s in .integer(s[keyPath: field]) })
    }

    static func integer(
        _ name: String, _ range: ClosedRange<Int>, _ field: WritableKeyPath<ServeSettings, Int?> & Sendable,
        default note: String, _ help: String
    ) -> Setting {
        Setting(
            name: name, type: .integer(range), placeholder: "<\(range.lowerBound)...\(range.upperBound)>", help: help,
            defaultNote: note, inConfigFile: true,
            store: { s, v in if case .integer(let i) = v { s[keyPath: field] = i } },
            load: { s in s[keyPath: field].map { .integer($0) } })
    }

    static func octal(
        _ name: String, _ range: ClosedRange<Int>, _ field: WritableKeyPath<ServeSettings, UInt32> & Sendable,
        _ help: String
    ) -> Setting {
        Setting(
            name: name, type: .octal(range),
            placeholder: "<octal \(String(range.lowerBound, radix: 8))...\(String(range.upperBound, radix: 8))>",
            help: help, defaultNote: nil, inConfigFile: true,
            store: { s, v in if case .integer(let i) = v { s[keyPath: field] = UInt32(i) } },
            load: { s in .integer(Int(s[keyPath: field])) })
    }

    static func boolean(_ name: String, _ field: WritableKeyPath<ServeSettings, Bool> & Sendable, _ help: String) -> Setting {
        Setting(
            name: name, type: .boolean, placeholder: "<on|off>", help: help, defaultNote: nil, inConfigFile: true,
            store: { s, v in if case .boolean(let b) = v { s[keyPath: field] = b } },
            load: { s in .boolean(s[keyPath: field]) })
    }

    static func text(
        _ name: String, maxBytes: Int, _ field: WritableKeyPath<ServeSettings, String> & Sendable, placeholder: String,
        _ help: String
    ) -> Setting {
        Setting(
            name: name, type: .text(maxBytes: maxBytes), placeholder: "<\(placeholder)>", help: help, defaultNote: nil,
            inConfigFile: true,
            store: { s, v in if case .text(let t) = v { s[keyPath: field] = t } },
            load: { s in .text(s[keyPath: field]) })
    }

    static func text(
        _ name: String, maxBytes: Int, _ field: WritableKeyPath<ServeSettings, String?> & Sendable, placeholder: String,
        default note: String, inConfigFile: Bool = true, _ help: String
    ) -> Setting {
        Setting(
            name: name, type: .text(maxBytes: maxBytes), placeholder: "<\(placeholder)>", help: help, defaultNote: note,
            inConfigFile: inConfigFile,
            store: { s, v in if case .text(let t) = v { s[keyPath: field] = t } },
            load: { s in s[keyPath: field].map { .text($0) } })
    }

    static func address(
        _ name: String, _ field: WritableKeyPath<ServeSettings, String> & Sendable, _ help: String
    ) -> Setting {
        Setting(
            name: name, type: .address, placeholder: "<address>", help: help, defaultNote: nil, inConfigFile: true,
            store: { s, v in if case .text(let t) = v { s[keyPath: field] = t } },
            load: { s in .text(s[keyPath: field]) })
    }

    static func uids(
        _ name: String, _ field: WritableKeyPath<ServeSettings, [UInt32]> & Sendable, default note: String,
        _ help: String
    ) -> Setting {
        // 4294967295 is (uid_t)-1, "no user": never a peer's UID.
        Setting(
            name: name, type: .uidList(0...(UInt32.max - 1)), placeholder: "<uid,uid,...>", help: help,
            defaultNote: note, inConfigFile: true,
            store: { s, v in if case .uids(let u) = v { s[keyPath: field] = u } },
            load: { s in s[keyPath: field].isEmpty ? nil : .uids(s[keyPath: field]) })
    }

    static func paths(
        _ name: String, maxBytes: Int, maxCount: Int, _ field: WritableKeyPath<ServeSettings, [String]> & Sendable,
        placeholder: String, default note: String, _ help: String
    ) -> Setting {
        Setting(
            name: name, type: .pathList(maxBytes: maxBytes, maxCount: maxCount), placeholder: "<\(placeholder),...>", help: help,
            defaultNote: note, inConfigFile: true,
            store: { s, v in if case .texts(let t) = v { s[keyPath: field] = t } },
            load: { s in s[keyPath: field].isEmpty ? nil : .texts(s[keyPath: field]) })
    }

    static func choice<T: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ field: WritableKeyPath<ServeSettings, T> & Sendable, _ help: String
    ) -> Setting where T.RawValue == String {
        let words = T.allCases.map(\.rawValue)
        return Setting(
            name: name, type: .choice(words), placeholder: "<" + words.joined(separator: "|") + ">", help: help,
            defaultNote: nil, inConfigFile: true,
            store: { s, v in if case .text(let t) = v, let c = T(rawValue: t) { s[keyPath: field] = c } },
            load: { s in .text(s[keyPath: field].rawValue) })
    }
}
