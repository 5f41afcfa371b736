import Foundation
import Testing

@testable import PasskeydSettings

/// Table-driven: every test here runs once per entry of `ServeSettings.table`, with values derived from the entry's
/// type and range (`Samples`), so a setting added to the table is covered without a new test.
@Suite struct SettingsTableTests {
    static let names = ServeSettings.table.map(\.name)

    func setting(_ name: String) throws -> Setting { try #require(ServeSettings.setting(name)) }

    /// The config file itself cannot be a config member; its valid values must name a readable file.
    func validTexts(_ s: Setting, _ files: inout [TemporaryConfig]) throws -> [Samples.Valid] {
        guard s.name == "config" else { return Samples(s.type).valid }
        return try (0..<2).map { _ in
            let c = try TemporaryConfig("{}")
            files.append(c)
            return Samples.Valid(text: c.path, json: "", value: .text(c.path))
        }
    }

    @Test func namesFlagsAndVariablesAreUniqueAndDerivedFromTheName() {
        let table = ServeSettings.table
        #expect(Set(table.map(\.name)).count == table.count)
        for s in table {
            #expect(s.name.allSatisfy { $0.isLowercase || $0 == "_" }, "\(s.name)")
            #expect(s.flag == "--" + s.name.replacingOccurrences(of: "_", with: "-"))
            #expect(s.environmentVariable == "PASSKEYD_" + s.name.uppercased())
            #expect(!ServeSettings.clientEnvironmentVariables.contains(s.environmentVariable))
            #expect(!s.help.isEmpty && !s.placeholder.isEmpty)
        }
    }

    @Test(arguments: names) func defaultIsAValidValue(_ name: String) throws {
        let s = try setting(name)
        guard let value = s.value(in: ServeSettings()) else {
            #expect(s.defaultNote != nil, "\(name) has no default value and no note saying what unset means")
            return
        }
        #expect(s.type.parse(s.format(value)) == value, "\(name): default \(value) is outside its own range")
    }

    @Test(arguments: names) func invalidFlagIsAnErrorNamingSettingAndSource(_ name: String) throws {
        let s = try setting(name)
        for bad in Samples(s.type).invalidText {
            for arguments in [[s.flag, bad], [s.flag + "=" + bad]] {
                let (_, problems) = ServeSettings.readIgnoringRules(arguments: arguments)
                #expect(problems.count == 1, "\(arguments): \(problems)")
                let p = try #require(problems.first)
                #expect(p.code == .invalidValue && p.setting == name && p.source == .flag, "\(arguments): \(p)")
                #expect(p.description.hasPrefix("\(s.flag)='") && p.description.contains("(flag): \(name) must be"), "\(p)")
            }
        }
    }

    @Test(arguments: names) func invalidEnvironmentIsAnErrorNamingSettingAndSource(_ name: String) throws {
        let s = try setting(name)
        for bad in Samples(s.type).invalidText {
            let (_, problems) = ServeSettings.readIgnoringRules(environment: [s.environmentVariable: bad])
            #expect(problems.count == 1, "'\(bad)': \(problems)")
            let p = try #require(problems.first)
            #expect(p.code == .invalidValue && p.setting == name && p.source == .environment, "'\(bad)': \(p)")
            #expect(p.description.hasPrefix("\(s.environmentVariable)='") && p.description.contains("(environment): \(name) must be"))
        }
    }

    @Test(arguments: names) func invalidFileMemberIsAnErrorNamingSettingAndSource(_ name: String) throws {
        let s = try setting(name)
        let config = try TemporaryConfig("{}")
        defer { config.remove() }
        guard s.inConfigFile else {
            try config.write("{\"\(name)\": \"x\"}")
            let (_, problems) = ServeSettings.readIgnoringRules(arguments: ["--config", config.path])
            #expect(problems.map(\.code) == [.unknownConfigMember])
            return
        }
        for bad in Samples(s.type).invalidJSON {
            try config.write("{\"\(name)\": \(bad)}")
            let (_, problems) = ServeSettings.readIgnoringRules(arguments: ["--config", config.path])
            #expect(problems.count == 1, "\(bad): \(problems)")
            let p = try #require(problems.first)
            #expect(p.code == .invalidValue && p.setting == name && p.source == .configFile(path: config.path), "\(bad): \(p)")
            #expect(p.description.hasPrefix("\(name)=") && p.description.contains("(config file \(config.path)): \(name) must be"))
        }
    }

    @Test(arguments: names) func validValuesFromEachSource(_ name: String) throws {
        let s = try setting(name)
        var files: [TemporaryConfig] = []
        defer { files.forEach { $0.remove() } }
        for v in try validTexts(s, &files) {
            let (byFlag, p1) = ServeSettings.readIgnoringRules(arguments: [s.flag, v.text])
            #expect(p1.isEmpty, "\(p1)")
            #expect(s.value(in: byFlag) == v.value && byFlag.source(of: name) == .flag)
            let (byEquals, p2) = ServeSettings.readIgnoringRules(arguments: [s.flag + "=" + v.text])
            #expect(p2.isEmpty && s.value(in: byEquals) == v.value)
            let (byEnvironment, p3) = ServeSettings.readIgnoringRules(environment: [s.environmentVariable: v.text])
            #expect(p3.isEmpty, "\(p3)")
            #expect(s.value(in: byEnvironment) == v.value && byEnvironment.source(of: name) == .environment)
            guard s.inConfigFile else { continue }
            let config = try TemporaryConfig("{\"\(name)\": \(v.json)}")
            files.append(config)
            let (byFile, p4) = ServeSettings.readIgnoringRules(arguments: ["--config", config.path])
            #expect(p4.isEmpty, "\(p4)")
            #expect(s.value(in: byFile) == v.value && byFile.source(of: name) == .configFile(path: config.path))
        }
    }

    /// Flag beats environment beats file beats default, with valid values in each.
    @Test(arguments: names) func precedence(_ name: String) throws {
        let s = try setting(name)
        var files: [TemporaryConfig] = []
        defer { files.forEach { $0.remove() } }
        let valid = try validTexts(s, &files)
        let defaultValue = s.value(in: ServeSettings())
        let b = try #require(valid.first { $0.value != defaultValue })
        let a = try #require(valid.first { $0.value != b.value })

        let (flagOverEnvironment, _) = ServeSettings.readIgnoringRules(
            arguments: [s.flag, a.text], environment: [s.environmentVariable: b.text])
        #expect(s.value(in: flagOverEnvironment) == a.value && flagOverEnvironment.source(of: name) == .flag)

        let (unset, _) = ServeSettings.readIgnoringRules()
        #expect(unset.source(of: name) == .defaultValue)
        if s.defaultNote == nil { #expect(s.value(in: unset) == defaultValue) }

        guard s.inConfigFile else { return }
        let config = try TemporaryConfig("{\"\(name)\": \(b.json)}")
        files.append(config)
        let (environmentOverFile, _) = ServeSettings.readIgnoringRules(
            arguments: ["--config", config.path], environment: [s.environmentVariable: a.text])
        #expect(s.value(in: environmentOverFile) == a.value && environmentOverFile.source(of: name) == .environment)
        let (fileOverDefault, _) = ServeSettings.readIgnoringRules(environment: ["PASSKEYD_CONFIG": config.path])
        #expect(s.value(in: fileOverDefault) == b.value && fileOverDefault.source(of: name) == .configFile(path: config.path))
    }

    /// A source that loses on precedence is still checked: a typo there is reported, not hidden.
    @Test(arguments: names) func overriddenInvalidValueIsStillAnError(_ name: String) throws {
        let s = try setting(name)
        var files: [TemporaryConfig] = []
        defer { files.forEach { $0.remove() } }
        let good = try validTexts(s, &files)[0].text
        let bad = Samples(s.type).invalidText[0]
        let (_, p1) = ServeSettings.readIgnoringRules(arguments: [s.flag, good], environment: [s.environmentVariable: bad])
        #expect(p1.map(\.source) == [.environment] && p1.first?.setting == name, "\(p1)")
        guard s.inConfigFile else { return }
        let config = try TemporaryConfig("{\"\(name)\": \(Samples(s.type).invalidJSON[0])}")
        files.append(config)
        let (_, p2) = ServeSettings.readIgnoringRules(
            arguments: [s.flag, good, "--config", config.path], environment: [s.environmentVariable: good])
        #expect(p2.map(\.source) == [.configFile(path: config.path)] && p2.first?.setting == name, "\(p2)")
    }

    @Test func helpListsEverySetting() {
        let help = ServeSettings.help
        for s in ServeSettings.table {
            #expect(help.contains("\(s.flag) \(s.placeholder)"), "\(s.name)")
            #expect(help.contains(s.environmentVariable))
            #expect(!s.inConfigFile || help.contains("file \"\(s.name)\""))
        }
        #expect(help.contains("Default: 65536."))  // max_in_flight, from ServeSettings()
        #expect(help.split(separator: "\n").allSatisfy { $0.count <= 120 })
    }
}
