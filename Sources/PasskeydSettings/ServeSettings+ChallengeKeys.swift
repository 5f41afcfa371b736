public import PasskeyWebAuthn

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the challenge keys file could not be used (never quoting a secret).
public struct ChallengeKeysError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "challenge_keys_file \(path): \(message)" }
}

extension ServeSettings {
    /// Reads `challenge_keys_file` into a key ring; nil when none is configured (the daemon then makes an ephemeral
    /// key). At start a failure stops the daemon (exit 2); on SIGHUP it keeps the running keys.
    ///
    /// The file holds secrets: it must be a regular file that other users cannot read or write, and that its group
    /// cannot write (mode 600 or 640); anything else is refused rather than used.
    public func loadChallengeKeys() throws(ChallengeKeysError) -> ChallengeKeyRing? {
        guard let path = challengeKeysPath else { return nil }
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw ChallengeKeysError(path: path, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw ChallengeKeysError(path: path, message: "not a regular file") }
        let mode = UInt32(st.st_mode) & 0o777
        guard mode & 0o027 == 0 else {
            throw ChallengeKeysError(
                path: path,
                message: "mode \(String(mode, radix: 8)) lets other users read or write these secrets; chmod 600 (or 640)")
        }
        let bytes: [UInt8]
        do throws(MetadataLoadError) {
            bytes = try Self.readFile(path, setting: "challenge_keys_file", limit: 64 << 10)
        } catch {
            throw ChallengeKeysError(path: path, message: error.message)
        }
        do throws(WebAuthnError) {
            return try ChallengeKeyRing(keysFile: bytes)
        } catch {
            throw ChallengeKeysError(path: path, message: error.message)
        }
    }
}
