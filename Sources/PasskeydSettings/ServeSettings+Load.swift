import PasskeyMetadata
import PasskeyServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension ServeSettings {
    /// Reads every setting from `arguments` (flags), `environment` (`PASSKEYD_*`) and the config file, in that
    /// precedence, then the default. Every value present is checked, including one a higher source overrides, and
    /// every problem found is reported together; any problem throws.
    public static func load(arguments: [String], environment: [String: String]) throws(SettingsError) -> ServeSettings {
        let (settings, problems) = read(arguments: arguments, environment: environment)
        if !problems.isEmpty { throw SettingsError(problems: problems) }
        return settings
    }

    /// `load` without throwing: the settings as far as they resolved, and every problem.
    static func read(arguments: [String], environment: [String: String]) -> (ServeSettings, [SettingProblem]) {
        var problems: [SettingProblem] = []
        var inputs = SettingInputs()
        inputs.readArguments(arguments, into: &problems)
        inputs.readEnvironment(environment, into: &problems)
        let settings = resolve(inputs, metadata: MetadataStore(), problems: &problems)
        return (settings, problems)
    }

    /// SIGHUP: the same flags and environment as at start, with the config file read again. Throws if the file no
    /// longer reads or checks; the caller keeps the running settings then. The fresh settings share this one's
    /// metadata store (its BLOB is reloaded separately: `loadMetadata`).
    public func reloaded() throws(SettingsError) -> ServeSettings {
        var problems: [SettingProblem] = []
        let fresh = Self.resolve(inputs, metadata: metadataStore, problems: &problems)
        if !problems.isEmpty { throw SettingsError(problems: problems) }
        return fresh
    }

    /// The settings whose effective value differs in `other` (after a reload: they need a restart to apply).
    public func changes(to other: ServeSettings) -> [Setting] {
        Self.table.filter { $0.value(in: self) != $0.value(in: other) }
    }

    /// Whether the command line asks for help (`--help` or `-h` anywhere).
    public static func wantsHelp(_ arguments: [String]) -> Bool {
        arguments.contains("--help") || arguments.contains("-h")
    }

    static func resolve(_ inputs: SettingInputs, metadata: MetadataStore, problems: inout [SettingProblem]) -> ServeSettings {
        var settings = ServeSettings()
        settings.inputs = inputs
        settings.attestation.metadata = metadata
        var file: ConfigFile?
        // The file's path comes from the flag or the environment; a path that does not parse is reported below.
        let config = setting("config")!
        if let raw = inputs.flags["config"] ?? inputs.environment["config"], case .text(let path)? = config.type.parse(raw) {
            file = ConfigFile(path: path, attestation: settings.attestation, problems: &problems)
        }
        for setting in table {
            var chosen: (SettingValue, SettingSource)?
            if let raw = inputs.flags[setting.name] {
                if let v = setting.type.parse(raw) {
                    chosen = chosen ?? (v, .flag)
                } else {
                    problems.append(.invalid(setting, spelled: setting.flag, raw: SettingProblem.quoted(raw), source: .flag))
                }
            }
            if let raw = inputs.environment[setting.name] {
                if let v = setting.type.parse(raw) {
                    chosen = chosen ?? (v, .environment)
                } else {
                    problems.append(
                        .invalid(setting, spelled: setting.environmentVariable, raw: SettingProblem.quoted(raw), source: .environment))
                }
            }
            // Invalid file values were reported while reading the file.
            if let file, let v = file.values[setting.name] {
                chosen = chosen ?? (v, .configFile(path: file.path))
            }
            if let (value, source) = chosen {
                setting.store(&settings, value)
                settings.sources[setting.name] = source
            }
        }
        if settings.server.unixSocketPath == nil {
            settings.server.unixSocketPath = defaultSocketPath(runtimeDirectory: inputs.runtimeDirectory)
        }
        settings.relyingParties = file?.relyingParties ?? [:]
        if let file { settings.attestation = file.attestation }
        for rule in rules {
            if let problem = rule(settings) { problems.append(problem) }
        }
        return settings
    }

    /// `/run/passkeyd/passkeyd.sock`, or `$XDG_RUNTIME_DIR/passkeyd.sock` when /run/passkeyd is not writable.
    static func defaultSocketPath(runtimeDirectory: String?) -> String {
        if access("/run/passkeyd", W_OK) == 0 { return ServerConfiguration.defaultSocketPath }
        if let runtimeDirectory, !runtimeDirectory.isEmpty { return runtimeDirectory + "/passkeyd.sock" }
        return ServerConfiguration.defaultSocketPath
    }
}
