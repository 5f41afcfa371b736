#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SettingInputs {
    /// `--name value` and `--name=value` for every setting of the table; anything else is a problem. Values are kept
    /// raw here and parsed with the other sources (`ServeSettings.resolve`).
    mutating func readArguments(_ arguments: [String], into problems: inout [SettingProblem]) {
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            i += 1
            guard word.hasPrefix("--"), word.count > 2 else {
                problems.append(
                    SettingProblem(
                        .unexpectedArgument, setting: nil, source: .flag,
                        "\(SettingProblem.quoted(word)) (command line): settings are given as --name value or --name=value"))
                continue
            }
            let flag: String
            let value: String?
            if let eq = word.firstIndex(of: "=") {
                flag = String(word[..<eq])
                value = String(word[word.index(after: eq)...])
            } else {
                flag = word
                // A value that looks like a flag is a forgotten value (`--tls-cert --tcp-port 7800`); spell such a
                // value as --name=--value.
                value = i < arguments.count && !arguments[i].hasPrefix("--") ? arguments[i] : nil
                if value != nil { i += 1 }
            }
            guard let setting = ServeSettings.table.first(where: { $0.flag == flag }) else {
                problems.append(
                    SettingProblem(
                        .unknownFlag, setting: nil, source: .flag,
                        "\(flag) (flag): no such setting; passkeyd serve --help lists them"))
                continue
            }
            guard let value else {
                problems.append(
                    SettingProblem(
                        .missingValue, setting: setting.name, source: .flag,
                        "\(flag) (flag): needs a value (\(setting.name) must \(setting.type.requirement(inFile: false)))"))
                continue
            }
            guard flags[setting.name] == nil else {
                problems.append(
                    SettingProblem(.repeatedFlag, setting: setting.name, source: .flag, "\(flag) (flag): given more than once"))
                continue
            }
            flags[setting.name] = value
        }
    }

    /// Every `PASSKEYD_*` variable must name a setting, except the client-side ones, which are ignored.
    mutating func readEnvironment(_ environment: [String: String], into problems: inout [SettingProblem]) {
        runtimeDirectory = environment["XDG_RUNTIME_DIR"]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) where key.hasPrefix("PASSKEYD_") {
            if ServeSettings.clientEnvironmentVariables.contains(key) { continue }
            guard let setting = ServeSettings.table.first(where: { $0.environmentVariable == key }) else {
                let ignored = ServeSettings.clientEnvironmentVariables.sorted().joined(separator: " and ")
                problems.append(
                    SettingProblem(
                        .unknownEnvironmentVariable, setting: nil, source: .environment,
                        "\(key) (environment): no such setting; passkeyd serve --help lists them (\(ignored), read by clients, are ignored)"
                    ))
                continue
            }
            self.environment[setting.name] = value
        }
    }
}

/// The process environment without Foundation.
public enum ProcessEnvironment {
    public static func current() -> [String: String] {
        var out: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") {
                out[String(s[..<eq])] = String(s[s.index(after: eq)...])
            }
            p += 1
        }
        return out
    }
}
