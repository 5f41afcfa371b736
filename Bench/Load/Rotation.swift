#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
import PasskeyClient
import PasskeyCOSE
import PasskeySoftAuthenticator
import PasskeyWebAuthn

/// `--rotation N`: N distinct ES256 credentials, one assertion each, kept only as encoded request frames.
///
/// Made on every core (each lane its own frames, joined at the end); no `CorpusItem` survives, so a million is about
/// half a gigabyte of frames and nothing else. With a cache directory the frames are written there as one file named
/// by N and the seed (`rotation-es256-N-seedS.frames`: a magic line, then the frames back to back), and read back
/// (every frame checked) on the next run, so the corpus is made once per box.
enum Rotation {
    static let magic = Array("passkey-bench rotation frames v1\n".utf8)

    static func frames(count: Int, seed: Int, cacheDir: String?) async throws -> (PasskeydFrameStore, String) {
        let path = cacheDir.map { "\($0)/rotation-es256-\(count)-seed\(seed).frames" }
        if let path, let cached = load(path) {
            if cached.count == count { return (cached, "read from \(path)") }
            say("rotation: \(path) holds \(cached.count) frames, not \(count): making it again")
        }
        let store = try await generate(count: count)
        if let dir = cacheDir, let path {
            do {
                try save(store, dir: dir, path: path)
                return (store, "generated, cached in \(path)")
            } catch {
                say("rotation: cannot cache in \(path): \(error)")
            }
        }
        return (store, "generated")
    }

    static func generate(count: Int) async throws -> PasskeydFrameStore {
        let challenge = SoftRandom.bytes(32)
        let policy = RelyingPartyPolicy(rpID: BenchRP.id, origins: [BenchRP.origin])
        let lanes = max(1, min(count, onlineCPUs()))
        let parts = try await withThrowingTaskGroup(of: (Int, PasskeydFrameStore.Builder).self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    let range = (count * lane / lanes)..<(count * (lane + 1) / lanes)
                    var builder = PasskeydFrameStore.Builder(reservingBytes: range.count * 480, maxPayload: 1 << 16)
                    for _ in range {
                        // 16-byte credential ids, as many authenticators use; every key is new.
                        let authenticator = try SoftAuthenticator(algorithm: .es256, credentialID: SoftRandom.bytes(16))
                        let a = try authenticator.assert(rpId: BenchRP.id, origin: BenchRP.origin, challenge: challenge)
                        try builder.append(
                            .authentication(
                                AuthenticationRequest(
                                    policy: policy, challenge: challenge, credentialPublicKey: authenticator.cosePublicKey,
                                    storedSignCount: 0, storedBackupEligible: false, storedCredentialID: a.credentialID,
                                    credential: .fields(
                                        credentialID: a.credentialID, authenticatorData: a.authenticatorData,
                                        clientDataJSON: a.clientDataJSON, signature: a.signature, userHandle: a.userHandle)))
                        )
                    }
                    return (lane, builder)
                }
            }
            var all: [(Int, PasskeydFrameStore.Builder)] = []
            for try await p in group { all.append(p) }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return PasskeydFrameStore(joining: parts)
    }

    /// The cached frames, or nil when the file is missing or not a whole, well-formed set of frames.
    static func load(_ path: String) -> PasskeydFrameStore? {
        guard let bytes = readFileBytes(path), bytes.count > magic.count, Array(bytes[0..<magic.count]) == magic else {
            return nil
        }
        let body = Array(bytes[magic.count...])
        var offsets = [0]
        var at = 0
        while at < body.count {
            let length: Int? = body.withUnsafeBytes { p in
                guard case .success(let n)? = Frame.parseHeader(UnsafeRawBufferPointer(rebasing: p[at...]), maximum: 1 << 16)
                else { return nil }
                return n
            }
            guard let length, at + Frame.headerSize + length <= body.count else { return nil }
            at += Frame.headerSize + length
            offsets.append(at)
        }
        var builder = PasskeydFrameStore.Builder()
        do {
            try builder.append(encodedFrames: body, offsets: offsets)
        } catch {
            return nil
        }
        return PasskeydFrameStore(builder)
    }

    static func save(_ store: PasskeydFrameStore, dir: String, path: String) throws {
        mkdir(dir, 0o755)
        // The cache is the tool's own: ignored by git without touching the repository's .gitignore.
        if readFileBytes("\(dir)/.gitignore") == nil { try writeFile("\(dir)/.gitignore", "*\n") }
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw IOError(description: String(cString: strerror(errno))) }
        func put(_ p: UnsafeRawBufferPointer) throws {
            var offset = 0
            while offset < p.count {
                let n = write(fd, p.baseAddress! + offset, p.count - offset)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { throw IOError(description: String(cString: strerror(errno))) }
                offset += n
            }
        }
        do {
            try magic.withUnsafeBytes { try put($0) }
            if store.count > 0 {
                let first = store.frame(0)
                try put(UnsafeRawBufferPointer(start: first.baseAddress, count: store.byteCount))
            }
            close(fd)
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        guard rename(tmp, path) == 0 else { throw IOError(description: String(cString: strerror(errno))) }
    }
}

extension PasskeyBench {
    /// `--rotation N`: the corpus as frames only, then the usual runs with the loop runner.
    func runRotation(_ n: Int) async throws {
        let t0 = Clock.nanoseconds()
        let (store, how) = try await Rotation.frames(count: n, seed: seed, cacheDir: cacheDir)
        let ms = (Clock.nanoseconds() - t0) / 1_000_000
        say("corpus: rotation of \(store.count) ES256 credentials \(how) in \(ms) ms, \(store.byteCount >> 20) MiB of frames")
        guard unixSocket != nil || tcp != nil else { return }
        let endpoint: PasskeydEndpoint =
            if let unixSocket { .unixDomainSocket(path: unixSocket) } else { BenchEndpoint.parseTCP(tcp!)! }
        let limit: LoadLimit =
            if let count { .count(assertions: count) } else { .duration(nanoseconds: UInt64((duration ?? 10) * 1e9)) }
        let mode: LoadMode = rate.map { .open(assertionsPerSecond: $0) } ?? .closed
        let basePlan = LoadPlan(
            connections: connections, depth: depth, batch: 1, mode: mode, limit: limit,
            maxLagNanoseconds: UInt64(maxLag * 1e9))
        let context = RunContext(
            endpoint: endpoint.description, serverVersion: "?", algorithm: "ES256", algorithms: ["ES256"],
            credentials: store.count, corpusPath: nil, responseJSON: false, clientThreads: clientThreads, cpus: onlineCPUs(),
            serverPID: serverPID, corpusMilliseconds: ms)
        try await runPoints(
            Sweep.parse(sweep ?? "") ?? [(connections, depth)], basePlan: basePlan, endpoint: endpoint, workload: nil,
            frames: FrameWorkload(singles: store), context: context)
    }
}
